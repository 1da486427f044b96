import { brief, run } from './__testUtils__/run';
import { applicationUidAnalyzer } from './applicationUid';

describe('MS0252 application running as the proxy user ID (IST0144)', () => {
  it('flags a Deployment whose pod, and a Pod whose container, runs as 1337', () => {
    const findings = run(
      applicationUidAnalyzer,
      `apiVersion: apps/v1
kind: Deployment
metadata: {name: cart, namespace: shop}
spec:
  template:
    metadata: {labels: {app: cart}}
    spec:
      securityContext: {runAsUser: 1337}
      containers: [{name: app}]
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop}
spec:
  containers:
    - name: app
      securityContext: {runAsUser: 1337}
`,
    );
    expect(brief(findings).map(f => [f.istioCode, f.resource, f.path])).toEqual(
      [
        [
          'IST0144',
          'Deployment/shop/cart',
          '/spec/template/spec/securityContext/runAsUser',
        ],
        [
          'IST0144',
          'Pod/shop/web',
          '/spec/containers/0/securityContext/runAsUser',
        ],
      ],
    );
  });

  it('is quiet for the proxy container, other user IDs and Istio’s own workloads', () => {
    expect(
      run(
        applicationUidAnalyzer,
        `apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop}
spec:
  securityContext: {runAsUser: 1000}
  containers:
    - {name: app, securityContext: {runAsUser: 1001}}
    - {name: istio-proxy, securityContext: {runAsUser: 1337}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: istio-ingressgateway, namespace: istio-system, labels: {istio: ingressgateway}}
spec:
  template:
    spec:
      securityContext: {runAsUser: 1337}
      containers: [{name: istio-proxy}]
`,
      ),
    ).toEqual([]);
  });
});
