import { brief, run } from './__testUtils__/run';
import { selectorNoWorkloadAnalyzer } from './selectorNoWorkload';

// MS0209 on EnvoyFilter `workloadSelector.labels`, whose selector sits elsewhere; Telemetry
// selectors are MS0253's (istioctl's IST0101, against Pods), not MS0209's.

const workload = `apiVersion: apps/v1
kind: Deployment
metadata: {name: cart, namespace: shop}
spec:
  template:
    metadata: {labels: {app: cart, version: v1}}
    spec: {containers: [{name: app}]}
---
`;
const envoyFilter = (
  labels: string,
) => `apiVersion: networking.istio.io/v1alpha3
kind: EnvoyFilter
metadata: {name: cart-lua, namespace: shop}
spec:
  workloadSelector:
    labels: {${labels}}
  configPatches: []
---
`;
const telemetry = (labels: string) => `apiVersion: telemetry.istio.io/v1
kind: Telemetry
metadata: {name: cart-tracing, namespace: shop}
spec:
  selector:
    matchLabels: {${labels}}
  tracing: [{randomSamplingPercentage: 10}]
`;

describe('MS0209 on EnvoyFilter, not Telemetry', () => {
  it('flags an EnvoyFilter selecting no workload, and leaves a Telemetry to MS0253', () => {
    expect(
      brief(
        run(
          selectorNoWorkloadAnalyzer,
          workload +
            envoyFilter('app: cart, version: v2') +
            telemetry('app: kart'),
        ),
      ),
    ).toEqual(
      [
        {
          code: 'MS0209',
          istioCode: undefined,
          resource: 'EnvoyFilter/shop/cart-lua',
          path: '/spec/workloadSelector/labels',
          line: 14,
        },
      ].sort((a, b) => a.line - b.line),
    );
  });

  it('is quiet when they select a workload, even by a subset of its labels', () => {
    expect(
      run(
        selectorNoWorkloadAnalyzer,
        workload +
          envoyFilter('app: cart, version: v1') +
          telemetry('app: cart'),
      ),
    ).toEqual([]);
  });

  it('does not look for the workload in another namespace', () => {
    expect(
      brief(
        run(
          selectorNoWorkloadAnalyzer,
          workload.replace('namespace: shop', 'namespace: other') +
            envoyFilter('app: cart, version: v1'),
        ),
      ).map(f => f.resource),
    ).toEqual(['EnvoyFilter/shop/cart-lua']);
  });
});
