import { brief, run } from './__testUtils__/run';
import { policyReferencesAnalyzer } from './policyReferences';

const existing = `apiVersion: policy.linkerd.io/v1beta3
kind: Server
metadata: {name: cart-http, namespace: shop}
spec: {podSelector: {matchLabels: {app: cart}}, port: 8080}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: web, namespace: shop}
---
apiVersion: policy.linkerd.io/v1alpha1
kind: MeshTLSAuthentication
metadata: {name: web-clients, namespace: shop}
spec:
  identityRefs:
    - kind: ServiceAccount
      name: web
---
`;

describe('MS0303/MS0304/MS0305 Linkerd policy references', () => {
  it('flags missing servers, routes, authentications and identities at their field', () => {
    const findings = run(
      policyReferencesAnalyzer,
      `${existing}apiVersion: policy.linkerd.io/v1alpha1
kind: AuthorizationPolicy
metadata: {name: cart-auth, namespace: shop}
spec:
  targetRef:
    group: policy.linkerd.io
    kind: Server
    name: cart-grpc
  requiredAuthenticationRefs:
    - {group: policy.linkerd.io, kind: MeshTLSAuthentication, name: web-clients}
    - {group: policy.linkerd.io, kind: MeshTLSAuthentication, name: api-clients}
---
apiVersion: policy.linkerd.io/v1beta3
kind: HTTPRoute
metadata: {name: cart-route, namespace: shop}
spec:
  parentRefs:
    - {group: policy.linkerd.io, kind: Server, name: cart-http}
    - {group: policy.linkerd.io, kind: Server, name: cart-admin}
---
apiVersion: policy.linkerd.io/v1beta1
kind: ServerAuthorization
metadata: {name: legacy, namespace: shop}
spec:
  server: {name: cart-http}
  client:
    meshTLS:
      serviceAccounts:
        - name: ghost
`,
    );
    expect(brief(findings)).toEqual([
      {
        code: 'MS0303',
        resource: 'AuthorizationPolicy/shop/cart-auth',
        path: '/spec/targetRef/name',
        line: 25,
      },
      {
        code: 'MS0304',
        resource: 'AuthorizationPolicy/shop/cart-auth',
        path: '/spec/requiredAuthenticationRefs/1/name',
        line: 28,
      },
      {
        code: 'MS0303',
        resource: 'HTTPRoute/shop/cart-route',
        path: '/spec/parentRefs/1/name',
        line: 36,
      },
      {
        code: 'MS0305',
        resource: 'ServerAuthorization/shop/legacy',
        path: '/spec/client/meshTLS/serviceAccounts/0/name',
        line: 46,
      },
    ]);
    expect(findings[1].message).toBe(
      'MeshTLSAuthentication "shop/api-clients" does not exist.',
    );
  });

  it('is quiet when every reference resolves', () => {
    expect(run(policyReferencesAnalyzer, existing)).toEqual([]);
  });

  it('reads references as Linkerd does: Gateway API routes, the core group, kinds without their group', () => {
    const findings = run(
      policyReferencesAnalyzer,
      `${existing}apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: cart-gw, namespace: shop}
spec:
  parentRefs:
    - {group: policy.linkerd.io, kind: Server, name: cart-http}
    - {group: policy.linkerd.io, kind: Server, name: cart-grpc}
---
apiVersion: policy.linkerd.io/v1alpha1
kind: AuthorizationPolicy
metadata: {name: gw-auth, namespace: shop}
spec:
  targetRef: {group: gateway.networking.k8s.io, kind: HTTPRoute, name: cart-gw}
  requiredAuthenticationRefs:
    - {kind: ServiceAccount, name: web}
---
apiVersion: policy.linkerd.io/v1alpha1
kind: AuthorizationPolicy
metadata: {name: no-group, namespace: shop}
spec:
  targetRef: {kind: Server, name: cart-grpc}
  requiredAuthenticationRefs: []
---
apiVersion: policy.linkerd.io/v1beta3
kind: HTTPRoute
metadata: {name: cart-out, namespace: shop}
spec:
  parentRefs:
    - {group: core, kind: Service, name: cart}
`,
    );
    // The Gateway API route exists (no MS0303 for gw-auth); `{kind: Server}` without its group
    // is not a Server reference (Linkerd rejects it: MS0317), so it is not looked up.
    expect(
      brief(findings).map(f => `${f.code} ${f.resource} ${f.path}`),
    ).toEqual([
      'MS0303 HTTPRoute/shop/cart-gw /spec/parentRefs/1/name',
      'MS0303 HTTPRoute/shop/cart-out /spec/parentRefs/0/name',
    ]);
  });
});
