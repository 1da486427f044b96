import { brief, run } from '../../__testUtils__';
import { multipleSidecarsAnalyzer } from './multipleSidecars';

describe('MS0104 multiple mesh proxies', () => {
  it("flags a workload running two meshes' proxies, at the second one", () => {
    const findings = run(
      multipleSidecarsAnalyzer,
      `apiVersion: apps/v1
kind: Deployment
metadata: {name: cart, namespace: shop}
spec:
  template:
    spec:
      initContainers:
        - name: linkerd-proxy
          restartPolicy: Always
      containers:
        - name: app
        - name: istio-proxy
`,
    );
    expect(findings.map(brief)).toEqual([
      {
        code: 'MS0104',
        resource: 'Deployment/shop/cart',
        path: '/spec/template/spec/initContainers/0',
        line: 8,
      },
    ]);
  });

  it('is quiet with one proxy and a one-shot init container of another mesh', () => {
    expect(
      run(
        multipleSidecarsAnalyzer,
        `apiVersion: v1
kind: Pod
metadata: {name: p, namespace: shop}
spec:
  initContainers: [{name: linkerd-proxy}]
  containers: [{name: app}, {name: istio-proxy}]
`,
      ),
    ).toEqual([]);
  });
});
