import { brief, run } from '../../__testUtils__';
import { podMissingProxyAnalyzer } from './podMissingProxy';

const ns = `apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels: {istio-injection: enabled}
---
`;

describe('MS0102 pod missing proxy', () => {
  it('flags a pod of an injected namespace without the proxy, with IST0103 for Istio', () => {
    const findings = run(
      podMissingProxyAnalyzer,
      `${ns}apiVersion: v1
kind: Pod
metadata: {name: cart-1, namespace: shop}
spec:
  containers:
    - name: app
`,
    );
    expect(findings.map(brief)).toEqual([
      {
        code: 'MS0102',
        resource: 'Pod/shop/cart-1',
        path: '/spec/containers',
        line: 11,
      },
    ]);
    expect(findings[0].istioCode).toBe('IST0103');
  });

  it('carries no istio code for another mesh', () => {
    const findings = run(
      podMissingProxyAnalyzer,
      `apiVersion: v1
kind: Namespace
metadata:
  name: web
  annotations: {linkerd.io/inject: enabled}
---
apiVersion: v1
kind: Pod
metadata: {name: w, namespace: web}
spec: {containers: [{name: app}]}
`,
    );
    expect(findings.map(f => [f.code, f.istioCode])).toEqual([
      ['MS0102', undefined],
    ]);
  });

  it('carries no istio code in a namespace injected by revision label (istioctl looks only at istio-injection)', () => {
    const findings = run(
      podMissingProxyAnalyzer,
      `apiVersion: v1
kind: Namespace
metadata: {name: shop, labels: {istio.io/rev: canary}}
---
apiVersion: v1
kind: Pod
metadata: {name: cart-1, namespace: shop}
spec: {containers: [{name: app}]}
`,
    );
    expect(findings.map(f => [f.code, f.istioCode])).toEqual([
      ['MS0102', undefined],
    ]);
  });

  it('carries no istio code for an istio-proxy init container that is not a native sidecar (istioctl counts it)', () => {
    const findings = run(
      podMissingProxyAnalyzer,
      `${ns}apiVersion: v1
kind: Pod
metadata: {name: cart-1, namespace: shop}
spec:
  containers: [{name: app}]
  initContainers: [{name: istio-proxy, image: proxyv2}]
`,
    );
    expect(findings.map(f => [f.code, f.istioCode])).toEqual([
      ['MS0102', undefined],
    ]);
  });

  it('is quiet for a pod with the proxy, or opted out', () => {
    expect(
      run(
        podMissingProxyAnalyzer,
        `${ns}apiVersion: v1
kind: Pod
metadata: {name: a, namespace: shop}
spec: {containers: [{name: app}, {name: istio-proxy}]}
---
apiVersion: v1
kind: Pod
metadata: {name: b, namespace: shop, annotations: {sidecar.istio.io/inject: "false"}}
spec: {containers: [{name: app}]}
`,
      ),
    ).toEqual([]);
  });
});
