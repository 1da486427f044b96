import { brief, run } from './__testUtils__/run';
import { proxyTrustAnchorsAnalyzer } from './proxyTrustAnchors';

const ANCHORS = `-----BEGIN CERTIFICATE-----
MIIBfzCCASSgAwIBAgIUY3VycmVudA==
-----END CERTIFICATE-----`;
const OLD = `-----BEGIN CERTIFICATE-----
MIIBfzCCASSgAwIBAgIUb2xkIG9uZQ==
-----END CERTIFICATE-----`;
const roots = `apiVersion: v1
kind: ConfigMap
metadata: {name: linkerd-identity-trust-roots, namespace: linkerd}
data:
  ca-bundle.crt: |
${ANCHORS.split('\n')
  .map(l => `    ${l}`)
  .join('\n')}
`;
const pod = (name: string, namespace: string, anchors: string) => `---
apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  namespace: ${namespace}
  labels: {linkerd.io/control-plane-ns: linkerd}
spec:
  containers:
    - name: linkerd-proxy
      env:
        - name: LINKERD2_PROXY_IDENTITY_TRUST_ANCHORS
          value: ${JSON.stringify(anchors)}
    - name: app
`;

describe('MS0316 proxy trust anchors outdated', () => {
  it('flags a meshed pod injected with other anchors than the trust roots', () => {
    const findings = run(
      proxyTrustAnchorsAnalyzer,
      roots +
        pod('cart-1', 'shop', `${ANCHORS}\n`) +
        pod('cart-2', 'shop', OLD),
    );
    expect(brief(findings)).toEqual([
      {
        code: 'MS0316',
        resource: 'Pod/shop/cart-2',
        path: '/spec/containers/0/env/0/value',
        line: 35,
      },
    ]);
    expect(findings[0].message).toBe(
      'Pod "cart-2" has a proxy with other trust anchors than ConfigMap "linkerd/linkerd-identity-trust-roots"; restart it to pick up the current ones.',
    );
  });

  it('leaves control-plane pods, unlabelled pods and clusters without trust roots alone', () => {
    expect(
      run(
        proxyTrustAnchorsAnalyzer,
        roots + pod('linkerd-destination-1', 'linkerd', OLD),
      ),
    ).toEqual([]);
    expect(
      run(
        proxyTrustAnchorsAnalyzer,
        roots +
          pod('cart-2', 'shop', OLD).replace(
            'linkerd.io/control-plane-ns: linkerd',
            'app: cart',
          ),
      ),
    ).toEqual([]);
    expect(run(proxyTrustAnchorsAnalyzer, pod('cart-2', 'shop', OLD))).toEqual(
      [],
    );
  });
});
