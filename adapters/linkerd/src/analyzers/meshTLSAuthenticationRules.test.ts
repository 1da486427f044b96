import { brief, run } from './__testUtils__/run';
import {
  identityProblem,
  meshTLSAuthenticationRulesAnalyzer,
} from './meshTLSAuthenticationRules';

const authn = (spec: string) => `apiVersion: policy.linkerd.io/v1alpha1
kind: MeshTLSAuthentication
metadata: {name: web-clients, namespace: shop}
spec:
${spec}
`;

describe('MS0318 MeshTLSAuthentication rejected by Linkerd', () => {
  it('reads identities as Linkerd does: SPIFFE IDs and DNS-like names', () => {
    for (const ok of [
      '*',
      '*.shop.serviceaccount.identity.linkerd.cluster.local',
      'web.shop.serviceaccount.identity.linkerd.cluster.local',
      'spiffe://trust.domain',
      'spiffe://trust.domain/ns/shop/sa/web',
    ])
      expect(identityProblem(ok)).toBeUndefined();
    expect(
      [
        'web.shop.*',
        'Web.shop',
        'system..local',
        'spiffe:///path',
        'spiffe://Domain/x',
        'spiffe://domain.test:8080/x',
        'spiffe://test.org/',
        'spiffe://test.org//x',
        'spiffe://test.org/./x',
        'spiffe://test.org/a?b',
      ].map(identityProblem),
    ).toEqual([
      expect.stringMatching(/^identity must be a valid SPIFFE id or a DNS SAN/),
      expect.stringMatching(/^identity must be a valid SPIFFE id or a DNS SAN/),
      expect.stringMatching(/^identity must be a valid SPIFFE id or a DNS SAN/),
      'SPIFFE trust domain is missing',
      expect.stringMatching(/^SPIFFE trust domain characters/),
      expect.stringMatching(/^SPIFFE trust domain characters/),
      'SPIFFE path cannot have a trailing slash',
      'SPIFFE path cannot contain empty segments',
      'SPIFFE path cannot contain dot segments',
      expect.stringMatching(/^SPIFFE path segment characters/),
    ]);
  });

  it('flags a bad identity and identityRefs of other kinds or with a namespace on a Namespace', () => {
    const findings = run(
      meshTLSAuthenticationRulesAnalyzer,
      authn(`  identities: ["web.shop.serviceaccount.*"]
  identityRefs:
    - {kind: ServiceAccount, name: web}
    - {kind: Namespace, name: shop, namespace: shop}
    - {group: policy.linkerd.io, kind: Server, name: cart}`),
    );
    expect(brief(findings).map(f => `${f.path} ${f.line}`)).toEqual([
      '/spec/identities/0 5',
      '/spec/identityRefs/1/namespace 8',
      '/spec/identityRefs/2/kind 9',
    ]);
    expect(findings[2].message).toBe(
      'Linkerd rejects MeshTLSAuthentication "web-clients": invalid identity target kind: Server.policy.linkerd.io.',
    );
  });

  it('is quiet on valid identities and refs', () => {
    expect(
      run(
        meshTLSAuthenticationRulesAnalyzer,
        authn(`  identityRefs:
    - {kind: ServiceAccount, name: web}
    - {kind: Namespace, name: shop}`),
      ),
    ).toEqual([]);
  });
});
