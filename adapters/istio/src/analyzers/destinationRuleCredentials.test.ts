import { brief, run } from './__testUtils__/run';
import { destinationRuleCredentialsAnalyzer } from './destinationRuleCredentials';

const destinationRule = (
  ns: string,
  extra = '',
) => `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: payments-api, namespace: ${ns}}
spec:
  host: api.payments.example.com${extra}
  trafficPolicy:
    portLevelSettings:
      - port: {number: 443}
        tls:
          mode: MUTUAL
          credentialName: payments-client
---
`;
const secret = (ns: string) => `apiVersion: v1
kind: Secret
metadata: {name: payments-client, namespace: ${ns}}
---
`;
const egressGateway = `apiVersion: apps/v1
kind: Deployment
metadata: {name: istio-egressgateway, namespace: istio-system}
spec:
  template:
    metadata: {labels: {istio: egressgateway}}
    spec: {containers: [{name: istio-proxy}]}
---
`;

describe('MS0224 DestinationRule credentialName not found', () => {
  it('flags a Secret missing where the proxies using the rule run', () => {
    expect(
      brief(
        run(
          destinationRuleCredentialsAnalyzer,
          destinationRule('shop') + secret('other') + egressGateway,
        ),
      ),
    ).toEqual([
      {
        code: 'MS0224',
        istioCode: undefined,
        resource: 'DestinationRule/shop/payments-api',
        path: '/spec/trafficPolicy/portLevelSettings/0/tls/credentialName',
        line: 11,
      },
    ]);
  });

  it("accepts the Secret in the rule's namespace, or in an egress gateway's that sees the rule", () => {
    expect(
      run(
        destinationRuleCredentialsAnalyzer,
        destinationRule('shop') + secret('shop'),
      ),
    ).toEqual([]);
    expect(
      run(
        destinationRuleCredentialsAnalyzer,
        destinationRule('shop') + secret('istio-system') + egressGateway,
      ),
    ).toEqual([]);
    // Not exported to the gateway's namespace: the gateway never reads it.
    expect(
      brief(
        run(
          destinationRuleCredentialsAnalyzer,
          destinationRule('shop', '\n  exportTo: ["."]') +
            secret('istio-system') +
            egressGateway,
        ),
      ).map(f => f.path),
    ).toEqual(['/spec/trafficPolicy/portLevelSettings/0/tls/credentialName']);
  });
});
