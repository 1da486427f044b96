import { brief, run } from './__testUtils__/run';
import { authorizationPolicyRulesAnalyzer } from './authorizationPolicyRules';

const policy = (
  target: string,
  refs: string,
) => `apiVersion: policy.linkerd.io/v1alpha1
kind: AuthorizationPolicy
metadata: {name: cart-auth, namespace: shop}
spec:
  targetRef: ${target}
  requiredAuthenticationRefs:
${refs}
`;
const MTLS =
  '    - {group: policy.linkerd.io, kind: MeshTLSAuthentication, name: web}';
const NET =
  '    - {group: policy.linkerd.io, kind: NetworkAuthentication, name: lan}';
const SA = '    - {kind: ServiceAccount, name: web}';

describe('MS0317 AuthorizationPolicy rejected by Linkerd', () => {
  it('accepts the targets and authentication sets Linkerd admits', () => {
    for (const target of [
      '{group: policy.linkerd.io, kind: Server, name: cart-http}',
      '{group: gateway.networking.k8s.io, kind: HTTPRoute, name: cart}',
      '{group: gateway.networking.k8s.io, kind: GRPCRoute, name: cart}',
      '{group: policy.linkerd.io, kind: HTTPRoute, name: cart}',
      '{kind: Namespace, name: shop}',
    ])
      expect(
        run(
          authorizationPolicyRulesAnalyzer,
          policy(target, `${MTLS}\n${NET}`),
        ),
      ).toEqual([]);
    expect(
      run(
        authorizationPolicyRulesAnalyzer,
        policy('{group: core, kind: Namespace, name: shop}', `${SA}\n${NET}`),
      ),
    ).toEqual([]);
  });

  it('flags each rule the admission webhook enforces, in its words', () => {
    const findings = run(
      authorizationPolicyRulesAnalyzer,
      policy(
        '{kind: Server, name: cart-http}',
        `${MTLS}\n${SA}\n${NET}\n${NET}\n    - {group: policy.linkerd.io, kind: Server, name: x}`,
      ),
    );
    expect(brief(findings)).toEqual([
      {
        code: 'MS0317',
        resource: 'AuthorizationPolicy/shop/cart-auth',
        path: '/spec/targetRef/kind',
        line: 5,
      },
      {
        code: 'MS0317',
        resource: 'AuthorizationPolicy/shop/cart-auth',
        path: '/spec/requiredAuthenticationRefs/1',
        line: 8,
      },
      {
        code: 'MS0317',
        resource: 'AuthorizationPolicy/shop/cart-auth',
        path: '/spec/requiredAuthenticationRefs/3',
        line: 10,
      },
      {
        code: 'MS0317',
        resource: 'AuthorizationPolicy/shop/cart-auth',
        path: '/spec/requiredAuthenticationRefs/4/kind',
        line: 11,
      },
    ]);
    expect(findings.map(f => f.message)).toEqual([
      'Linkerd rejects AuthorizationPolicy "cart-auth": unsupported authorization target type: Server.',
      'Linkerd rejects AuthorizationPolicy "cart-auth": a MeshTLSAuthentication and ServiceAccount may not be set together.',
      'Linkerd rejects AuthorizationPolicy "cart-auth": only a single NetworkAuthentication may be set.',
      'Linkerd rejects AuthorizationPolicy "cart-auth": unsupported authentication kind(s): Server.policy.linkerd.io.',
    ]);
  });

  it('flags a Namespace target other than its own namespace', () => {
    expect(
      run(
        authorizationPolicyRulesAnalyzer,
        policy('{kind: Namespace, name: payments}', MTLS),
      ).map(f => f.message),
    ).toEqual([
      'Linkerd rejects AuthorizationPolicy "cart-auth": cannot target another namespace: payments.',
    ]);
  });
});
