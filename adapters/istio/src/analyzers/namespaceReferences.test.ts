import { brief, run } from './__testUtils__/run';
import { namespaceReferencesAnalyzer } from './namespaceReferences';

const world = `apiVersion: v1
kind: Namespace
metadata: {name: shop}
---
apiVersion: v1
kind: Namespace
metadata: {name: web}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: frontend, namespace: web}
---
`;

describe('MS0219/MS0220 namespace and principal references', () => {
  it('flags unknown namespaces and principals at their list item', () => {
    const findings = run(
      namespaceReferencesAnalyzer,
      `${world}apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: allow-web, namespace: shop}
spec:
  rules:
    - from:
        - source:
            namespaces: [web, webb]
            principals:
              - cluster.local/ns/web/sa/frontend
              - cluster.local/ns/web/sa/frontent
---
apiVersion: networking.istio.io/v1
kind: Sidecar
metadata: {name: default, namespace: shop}
spec:
  egress:
    - hosts: ["./*", "istio-system/*"]
`,
    );
    expect(brief(findings)).toEqual([
      {
        code: 'MS0219',
        istioCode: 'IST0101',
        resource: 'AuthorizationPolicy/shop/allow-web',
        path: '/spec/rules/0/from/0/source/namespaces/1',
        line: 20,
      },
      {
        code: 'MS0220',
        istioCode: undefined,
        resource: 'AuthorizationPolicy/shop/allow-web',
        path: '/spec/rules/0/from/0/source/principals/1',
        line: 23,
      },
      {
        // istioctl does not check Sidecar egress namespaces: our finding, without its code.
        code: 'MS0219',
        istioCode: undefined,
        resource: 'Sidecar/shop/default',
        path: '/spec/egress/0/hosts/1',
        line: 30,
      },
    ]);
  });

  it('matches source namespaces as Istio does: *, *suffix, prefix*, any case', () => {
    const findings = run(
      namespaceReferencesAnalyzer,
      `${world}apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: patterns, namespace: shop}
spec:
  rules:
    - from:
        - source:
            namespaces: ["*", "sh*", "*eb", "WEB"]
            notNamespaces: ["*-bogus", "bogus-*"]
`,
    );
    expect(findings.map(f => [f.istioCode, f.path])).toEqual([
      ['IST0101', '/spec/rules/0/from/0/source/notNamespaces/0'],
      ['IST0101', '/spec/rules/0/from/0/source/notNamespaces/1'],
    ]);
  });

  it('is quiet without Namespace objects in view', () => {
    expect(
      run(
        namespaceReferencesAnalyzer,
        `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: vs, namespace: shop}
spec: {hosts: [a], exportTo: [elsewhere]}
`,
      ),
    ).toEqual([]);
  });
});
