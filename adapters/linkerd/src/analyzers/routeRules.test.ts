import { brief, run } from './__testUtils__/run';
import {
  gatewayDuration,
  routeRulesAnalyzer,
  rustRegexProblem,
} from './routeRules';

const policyRoute = (
  rules: string,
  parents = '[{group: policy.linkerd.io, kind: Server, name: cart-http}]',
) => `apiVersion: policy.linkerd.io/v1beta3
kind: HTTPRoute
metadata: {name: cart, namespace: shop}
spec:
  parentRefs: ${parents}
  rules:
${rules}
`;
const gatewayRoute = (rules: string, parents: string) => `---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: cart-gw, namespace: shop}
spec:
  parentRefs: ${parents}
  rules:
${rules}
`;
const controlPlane = `---
apiVersion: v1
kind: Namespace
metadata:
  name: linkerd
  labels: {linkerd.io/is-control-plane: "true"}
`;

describe('MS0321 routes rejected by Linkerd', () => {
  it('reads Gateway API durations and spots what Rust regexes cannot do', () => {
    expect(gatewayDuration('1h30m')).toBe(5_400_000);
    expect(gatewayDuration('500ms')).toBe(500);
    expect(gatewayDuration('1.5s')).toBeUndefined();
    expect(rustRegexProblem('^/api/(?!internal)')).toMatch(/look-around/);
    expect(rustRegexProblem('(a)\\1')).toMatch(/back-references/);
    expect(rustRegexProblem('^/api/[(?!]\\d+$')).toBeUndefined();
    expect(rustRegexProblem('^/(?P<v>v[0-9]+)/')).toBeUndefined();
  });

  it('flags relative paths, unsupported regexes, timeouts and EgressNetwork parents without port', () => {
    const findings = run(
      routeRulesAnalyzer,
      policyRoute(
        `    - matches:
        - path: {type: PathPrefix, value: api}
        - path: {type: RegularExpression, value: "^/v1/(?!admin)"}
        - headers: [{type: RegularExpression, name: x-user, value: "(a)\\\\1"}]
      timeouts: {request: 1s, backendRequest: 2s}`,
        '[{group: policy.linkerd.io, kind: EgressNetwork, name: internet}]',
      ),
    );
    expect(brief(findings).map(f => `${f.path} ${f.line}`)).toEqual([
      '/spec/parentRefs/0 5',
      '/spec/rules/0/matches/0/path/value 8',
      '/spec/rules/0/matches/1/path/value 9',
      '/spec/rules/0/matches/2/headers/0/value 10',
      '/spec/rules/0/timeouts/backendRequest 11',
    ]);
    expect(findings[1].message).toBe(
      'Linkerd rejects HTTPRoute "cart": HttpPathMatch paths must be absolute (begin with `/`); "api" is not an absolute path.',
    );
    expect(findings[4].message).toBe(
      'Linkerd rejects HTTPRoute "cart": backendRequest timeout (2s) must not be greater than request timeout (1s).',
    );
  });

  it("judges Gateway API routes only where they are Linkerd's to admit", () => {
    const rules = `    - backendRefs: [{name: cart}]`;
    const svcParent = '[{group: core, kind: Service, name: cart}]';
    expect(run(routeRulesAnalyzer, gatewayRoute(rules, svcParent))).toEqual([]);
    expect(
      run(
        routeRulesAnalyzer,
        controlPlane + gatewayRoute(rules, svcParent),
      ).map(f => [f.path, f.message]),
    ).toEqual([
      [
        '/spec/rules/0/backendRefs/0',
        'Linkerd rejects HTTPRoute "cart-gw": invalid backendRef: cannot reference a Service without a port.',
      ],
    ]);
    expect(
      run(
        routeRulesAnalyzer,
        gatewayRoute(
          rules,
          '[{group: policy.linkerd.io, kind: Server, name: cart-http}]',
        ),
      ).map(f => f.path),
    ).toEqual(['/spec/rules/0/backendRefs/0']);
  });

  it('is quiet on a sound route', () => {
    const sound =
      policyRoute(`    - matches: [{path: {value: /api}}, {path: {type: RegularExpression, value: "^/v[0-9]+/"}}]
      timeouts: {request: 10s, backendRequest: 2s}`);
    const gateway = gatewayRoute(
      '    - backendRefs: [{name: cart, port: 8080}]',
      '[{group: core, kind: Service, name: cart}]',
    );
    expect(
      run(routeRulesAnalyzer, `${controlPlane}---\n${sound}${gateway}`),
    ).toEqual([]);
  });
});
