import { warnings } from '../__testUtils__/schemaWarnings';

const rule = (name: string, spec: string) => `---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: ${name}, namespace: shop}
spec:
  host: reviews
${spec}
`;

describe('MS0272 on DestinationRules', () => {
  it('warns on deprecated outlier and ring size fields and failover without outlier detection', () => {
    expect(
      warnings(
        rule(
          'errors',
          '  trafficPolicy: {outlierDetection: {consecutiveErrors: 5}}',
        ) +
          rule(
            'ring',
            '  trafficPolicy: {loadBalancer: {consistentHash: {httpHeaderName: x-user, minimumRingSize: 1024}}}',
          ) +
          rule(
            'failover',
            '  trafficPolicy: {loadBalancer: {localityLbSetting: {enabled: true, failover: [{from: us-east, to: us-west}]}}}',
          ) +
          rule(
            'zoneaware',
            '  trafficPolicy: {loadBalancer: {zoneAwareLbSetting: {failoverPriority: [topology.istio.io/network]}}}',
          ) +
          rule('selector', '  workloadSelector: {}\n  exportTo: ["."]'),
      ),
    ).toEqual([
      [
        'errors',
        '/spec/trafficPolicy/outlierDetection/consecutiveErrors',
        'outlier detection consecutive errors is deprecated, use consecutiveGatewayErrors or consecutive5xxErrors instead.',
      ],
      [
        'ring',
        '/spec/trafficPolicy/loadBalancer/consistentHash/minimumRingSize',
        "consistent hash MinimumRingSize is deprecated, use ConsistentHashLB's RingHash configuration instead.",
      ],
      [
        'failover',
        '/spec/trafficPolicy/loadBalancer/localityLbSetting',
        'outlier detection policy must be provided for failover.',
      ],
      [
        'zoneaware',
        '/spec/trafficPolicy/loadBalancer/zoneAwareLbSetting',
        'outlier detection policy must be provided for failover.',
      ],
      [
        'selector',
        '/spec/workloadSelector',
        'workload selector specified without labels.',
      ],
    ]);
  });

  it('is quiet where Istio drops the warning or nothing is wrong', () => {
    expect(
      warnings(
        // failover with outlier detection
        rule(
          'a',
          '  trafficPolicy:\n    outlierDetection: {consecutive5xxErrors: 5}\n    loadBalancer: {localityLbSetting: {failover: [{from: us-east, to: us-west}]}}',
        ) +
          // distribute with failover is an error returned before the warning
          rule(
            'b',
            '  trafficPolicy: {loadBalancer: {localityLbSetting: {distribute: [{from: "us-east/*", to: {"us-east/*": 100}}], failover: [{from: us-east, to: us-west}]}}}',
          ) +
          // a distribute weight that does not add up to 100 is an error returned before it too
          rule(
            'c',
            '  trafficPolicy: {loadBalancer: {localityLbSetting: {distribute: [{from: "us-east/*", to: {"us-east/*": 90}}], failoverPriority: [topology.istio.io/network]}}}',
          ) +
          // subset and port-level policies: Istio keeps only their errors
          rule(
            'd',
            '  subsets: [{name: v1, labels: {version: v1}, trafficPolicy: {outlierDetection: {consecutiveErrors: 5}}}]',
          ) +
          rule(
            'e',
            '  trafficPolicy: {portLevelSettings: [{port: {number: 80}, outlierDetection: {consecutiveErrors: 5}}]}',
          ) +
          // tunnel with proxyProtocol is an error returned alone
          rule(
            'f',
            '  trafficPolicy: {tunnel: {protocol: CONNECT, targetHost: x, targetPort: 80}, proxyProtocol: {version: V1}, outlierDetection: {consecutiveErrors: 5}}',
          ) +
          rule('g', '  workloadSelector: {matchLabels: {app: reviews}}'),
      ),
    ).toEqual([]);
  });
});
