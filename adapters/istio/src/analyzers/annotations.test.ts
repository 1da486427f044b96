import { brief, run } from './__testUtils__/run';
import { annotationsAnalyzer } from './annotations';

describe('MS0212/MS0213/MS0214 Istio annotations', () => {
  it('flags unknown, misplaced and deprecated annotations', () => {
    const findings = run(
      annotationsAnalyzer,
      `apiVersion: apps/v1
kind: Deployment
metadata:
  name: cart
  namespace: shop
  annotations:
    sidecar.istio.io/proxyCPU: 100m
spec:
  template:
    metadata:
      annotations:
        sidecar.istio.io/proxyCPUs: 100m
        sidecar.istio.io/statsInclusionPrefixes: cluster
        sidecar.istio.io/proxyMemory: 128Mi
    spec: {containers: [{name: app}]}
`,
    );
    expect(brief(findings)).toEqual([
      {
        code: 'MS0213',
        istioCode: 'IST0107',
        resource: 'Deployment/shop/cart',
        path: '/metadata/annotations/sidecar.istio.io~1proxyCPU',
        line: 7,
      },
      {
        code: 'MS0212',
        istioCode: 'IST0108',
        resource: 'Deployment/shop/cart',
        path: '/spec/template/metadata/annotations/sidecar.istio.io~1proxyCPUs',
        line: 12,
      },
      {
        code: 'MS0214',
        istioCode: undefined,
        resource: 'Deployment/shop/cart',
        path: '/spec/template/metadata/annotations/sidecar.istio.io~1statsInclusionPrefixes',
        line: 13,
      },
    ]);
    expect(findings[0].message).toBe(
      'Annotation "sidecar.istio.io/proxyCPU" has no effect on a Deployment; it belongs on pods (the pod template).',
    );
  });

  it('is quiet for known annotations in place and for other domains', () => {
    expect(
      run(
        annotationsAnalyzer,
        `apiVersion: v1
kind: Service
metadata:
  name: cart
  namespace: shop
  annotations: {networking.istio.io/exportTo: ".", example.com/anything: x}
`,
      ),
    ).toEqual([]);
  });
});
