import { brief, run } from './__testUtils__/run';
import { proxyVersionsAnalyzer } from './proxyVersions';

const controlPlane = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: linkerd-destination
  namespace: linkerd
  labels: {linkerd.io/control-plane-version: edge-24.11.8}
spec:
  template:
    spec: {containers: [{name: destination, image: cr.l5d.io/linkerd/controller:edge-24.11.8}]}
---
`;
const pod = (name: string, tag: string) => `apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: shop}
spec:
  containers:
    - name: app
    - name: linkerd-proxy
      image: cr.l5d.io/linkerd/proxy:${tag}
---
`;

describe('MS0307 proxy version mismatch', () => {
  it('flags pods whose proxy differs from the control plane', () => {
    const findings = run(
      proxyVersionsAnalyzer,
      controlPlane + pod('a', 'edge-24.11.8') + pod('b', 'edge-24.5.1'),
    );
    expect(brief(findings)).toEqual([
      {
        code: 'MS0307',
        resource: 'Pod/shop/b',
        path: '/spec/containers/1/image',
        line: 27,
      },
    ]);
  });

  it('is quiet without a known control-plane version', () => {
    expect(run(proxyVersionsAnalyzer, pod('b', 'edge-24.5.1'))).toEqual([]);
  });
});
