import { run } from './__testUtils__/run';
import { alphaAnnotationsAnalyzer } from './alphaAnnotations';

const pod = (name: string, annotations: string, inits = '') => `---
apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  namespace: shop
  annotations: {${annotations}}
spec:
  containers: [{name: app}]${
    inits ? `\n  initContainers: [{name: ${inits}}]` : ''
  }
`;

describe('MS0234 alpha annotations (IST0136)', () => {
  it('reports each alpha annotation on a pod that Istio did not set', () => {
    const findings = run(
      alphaAnnotationsAnalyzer,
      pod(
        'cart-1',
        'sidecar.istio.io/proxyCPU: 100m, sidecar.istio.io/interceptionMode: REDIRECT',
        'istio-init',
      ),
    );
    expect(findings.map(f => [f.code, f.istioCode, f.path])).toEqual([
      ['MS0234', 'IST0136', '/metadata/annotations/sidecar.istio.io~1proxyCPU'],
      [
        'MS0234',
        'IST0136',
        '/metadata/annotations/sidecar.istio.io~1interceptionMode',
      ],
    ]);
  });

  it('is quiet for beta annotations, those Istio sets, CNI-set ones on a CNI pod, and pod templates', () => {
    expect(
      run(
        alphaAnnotationsAnalyzer,
        `${pod(
          'cart-2',
          'proxy.istio.io/config: "{}", istio.io/rev: canary, sidecar.istio.io/interceptionMode: REDIRECT',
        )}---
apiVersion: apps/v1
kind: Deployment
metadata: {name: cart, namespace: shop}
spec:
  template:
    metadata: {annotations: {sidecar.istio.io/proxyCPU: 100m}}
    spec: {containers: [{name: app}]}
`,
      ),
    ).toEqual([]);
  });
});
