import { brief, run } from './__testUtils__/run';
import { serverAuthorizationRulesAnalyzer } from './serverAuthorizationRules';

const sa = (client: string) => `apiVersion: policy.linkerd.io/v1beta1
kind: ServerAuthorization
metadata: {name: web, namespace: shop}
spec:
  server: {name: cart-http}
  client:
${client}
`;

describe('MS0320 ServerAuthorization rejected by Linkerd', () => {
  it('flags unauthenticated with meshTLS, and unauthenticatedTLS with identities', () => {
    const findings = run(
      serverAuthorizationRulesAnalyzer,
      sa(`    unauthenticated: true
    meshTLS:
      unauthenticatedTLS: true
      serviceAccounts: [{name: web}]`),
    );
    expect(brief(findings)).toEqual([
      {
        code: 'MS0320',
        resource: 'ServerAuthorization/shop/web',
        path: '/spec/client/unauthenticated',
        line: 7,
      },
      {
        code: 'MS0320',
        resource: 'ServerAuthorization/shop/web',
        path: '/spec/client/meshTLS/unauthenticatedTLS',
        line: 9,
      },
    ]);
    expect(findings[0].message).toBe(
      'Linkerd rejects ServerAuthorization "web": `unauthenticated` must be false if `meshTLS` is specified.',
    );
  });

  it('accepts either kind of client alone', () => {
    expect(
      run(serverAuthorizationRulesAnalyzer, sa('    unauthenticated: true')),
    ).toEqual([]);
    expect(
      run(
        serverAuthorizationRulesAnalyzer,
        sa('    meshTLS: {unauthenticatedTLS: true}'),
      ),
    ).toEqual([]);
    expect(
      run(
        serverAuthorizationRulesAnalyzer,
        sa('    meshTLS: {identities: ["*"]}'),
      ),
    ).toEqual([]);
  });
});
