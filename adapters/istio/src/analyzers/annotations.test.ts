import { brief, run } from './__testUtils__/run';
import { annotationsAnalyzer } from './annotations';

describe('MS0212/MS0213/MS0214/MS0233 Istio annotations', () => {
  it('checks a Deployment’s own annotations as istioctl does, and its pod template without istioctl codes', () => {
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
        istioCode: undefined,
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

  it('reports unknown, deprecated, misplaced and invalid annotations on a Pod with istioctl codes', () => {
    const findings = run(
      annotationsAnalyzer,
      `apiVersion: v1
kind: Pod
metadata:
  name: cart-1
  namespace: shop
  annotations:
    sidecar.istio.io/proxyCPUs: 100m
    sidecar.istio.io/inject: "true"
    networking.istio.io/exportTo: "."
    readiness.status.sidecar.istio.io/periodSeconds: ten
    traffic.sidecar.istio.io/excludeInboundPorts: "15020, 15021"
spec: {containers: [{name: app}]}
`,
    );
    expect(findings.map(f => [f.code, f.istioCode, f.source?.line])).toEqual([
      ['MS0212', 'IST0108', 7],
      ['MS0214', 'IST0135', 8],
      ['MS0213', 'IST0107', 9],
      ['MS0233', 'IST0125', 10],
    ]);
    expect(findings[3].message).toBe(
      'Invalid annotation "readiness.status.sidecar.istio.io/periodSeconds": "ten" is not a non-negative integer.',
    );
  });

  it('is quiet for known annotations in place, annotations Istio sets, other domains, and the inject annotation beside its label', () => {
    expect(
      run(
        annotationsAnalyzer,
        `apiVersion: v1
kind: Service
metadata:
  name: cart
  namespace: shop
  annotations: {networking.istio.io/exportTo: ".", example.com/anything: x}
---
apiVersion: v1
kind: Pod
metadata:
  name: cart-1
  namespace: shop
  labels: {sidecar.istio.io/inject: "true"}
  annotations:
    sidecar.istio.io/inject: "true"
    sidecar.istio.io/status: "{}"
    gateway.istio.io/controller-version: "5"
    istio.io/rev: canary
    readiness.status.sidecar.istio.io/periodSeconds: "10"
    traffic.sidecar.istio.io/includeOutboundIPRanges: "*"
    galley.istio.io/analyze-suppress: IST0118
spec: {containers: [{name: app}]}
`,
      ),
    ).toEqual([]);
  });
});
