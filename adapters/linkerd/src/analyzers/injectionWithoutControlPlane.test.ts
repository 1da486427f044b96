import { brief, run } from './__testUtils__/run';
import { injectionWithoutControlPlaneAnalyzer } from './injectionWithoutControlPlane';

const injected = `apiVersion: v1
kind: Namespace
metadata:
  name: shop
  annotations:
    linkerd.io/inject: enabled
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: cart, namespace: web}
spec:
  template:
    metadata:
      annotations: {linkerd.io/inject: enabled}
    spec: {containers: [{name: app}]}
`;

describe('MS0301 injection without control plane', () => {
  it('flags injected namespaces and workloads on a cluster without Linkerd', () => {
    expect(
      brief(run(injectionWithoutControlPlaneAnalyzer, injected, true)),
    ).toEqual([
      {
        code: 'MS0301',
        resource: 'Namespace//shop',
        path: '/metadata/annotations/linkerd.io~1inject',
        line: 6,
      },
      {
        code: 'MS0301',
        resource: 'Deployment/web/cart',
        path: '/spec/template/metadata/annotations/linkerd.io~1inject',
        line: 14,
      },
    ]);
  });

  it('is quiet with a control plane, and for files alone', () => {
    const cp = `---
apiVersion: v1
kind: Namespace
metadata:
  name: linkerd
  labels: {linkerd.io/is-control-plane: "true"}
`;
    expect(
      run(injectionWithoutControlPlaneAnalyzer, injected + cp, true),
    ).toEqual([]);
    expect(run(injectionWithoutControlPlaneAnalyzer, injected, false)).toEqual(
      [],
    );
  });
});
