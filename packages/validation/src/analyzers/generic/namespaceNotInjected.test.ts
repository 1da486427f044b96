import { brief, run } from '../../__testUtils__';
import { namespaceNotInjectedAnalyzer } from './namespaceNotInjected';

const workload = `---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: cart
  namespace: shop
  annotations:
    meshstage.io/mesh: istio
spec:
  template:
    metadata: {labels: {app: cart}}
    spec:
      containers: [{name: app, image: cart:1}]
`;

describe('MS0101 namespace not injected', () => {
  it('flags a namespace whose workloads expect a mesh that does not inject it', () => {
    const findings = run(
      namespaceNotInjectedAnalyzer,
      `apiVersion: v1
kind: Namespace
metadata:
  name: shop
${workload}`,
    );
    expect(findings.map(brief)).toEqual([
      {
        code: 'MS0101',
        resource: 'Namespace//shop',
        path: '/metadata',
        line: 3,
      },
    ]);
    expect(findings[0].message).toBe(
      'Namespace "shop" is not enabled for istio injection, but workload Deployment cart expects mesh "istio" (meshstage.io/mesh).',
    );
  });

  it('is quiet when the namespace is injected for that mesh', () => {
    expect(
      run(
        namespaceNotInjectedAnalyzer,
        `apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels: {istio-injection: enabled}
${workload}`,
      ),
    ).toEqual([]);
  });

  it('is quiet for an unknown mesh id', () => {
    expect(
      run(
        namespaceNotInjectedAnalyzer,
        `apiVersion: v1
kind: Namespace
metadata:
  name: shop
  annotations: {meshstage.io/mesh: consul}
`,
      ),
    ).toEqual([]);
  });
});
