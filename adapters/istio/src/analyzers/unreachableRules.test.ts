import { brief, run } from './__testUtils__/run';
import { unreachableRulesAnalyzer } from './unreachableRules';

const vs = (routes: string) => `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: vs, namespace: shop}
spec:
  hosts: [shop]
${routes}`;

const codes = (yaml: string) =>
  brief(run(unreachableRulesAnalyzer, yaml)).map(f => [
    f.code,
    f.istioCode,
    f.path,
  ]);

describe('MS0237/MS0211 unreachable rules and ineffective matches (IST0130/IST0131)', () => {
  it('flags HTTP rules after a rule without matches, duplicate matches and covered prefixes', () => {
    const yaml = vs(`  http:
    - name: api
      match:
        - {name: first, uri: {prefix: /api}}
      route: [{destination: {host: api}}]
    - match:
        - {name: again, uri: {prefix: /api}}
        - uri: {prefix: /api/v2}
      route: [{destination: {host: api2}}]
    - route: [{destination: {host: web}}]
    - match: [{uri: {prefix: /admin}}]
      route: [{destination: {host: admin}}]
`);
    expect(codes(yaml)).toEqual([
      ['MS0211', 'IST0131', '/spec/http/1/match/0'],
      ['MS0211', 'IST0131', '/spec/http/1/match/1'],
      ['MS0237', 'IST0130', '/spec/http/3'],
    ]);
    const messages = run(unreachableRulesAnalyzer, yaml).map(f => f.message);
    expect(messages).toEqual([
      'VirtualService shop/vs: HTTP rule #1 match "again" is not used (duplicate/overlapping match in rule "api").',
      'VirtualService shop/vs: HTTP rule #1 match #1 of prefix /api/v2 is not used (duplicate/overlapping match in rule "first" of prefix /api on "api").',
      'VirtualService shop/vs: HTTP rule #3 is not used (route without matches defined before).',
    ]);
  });

  it('flags TCP and TLS rules whose every match repeats an earlier rule, and two rules without matches', () => {
    expect(
      codes(
        vs(`  tcp:
    - match: [{port: 5432}]
      route: [{destination: {host: db}}]
    - match: [{port: 5432}]
      route: [{destination: {host: db2}}]
  tls:
    - route: [{destination: {host: a}}]
    - route: [{destination: {host: b}}]
`),
      ),
    ).toEqual([
      ['MS0237', 'IST0130', '/spec/tcp/1'],
      ['MS0211', 'IST0131', '/spec/tcp/1/match/0'],
      ['MS0237', 'IST0130', '/spec/tls/1'],
    ]);
  });

  it('is quiet for matches that differ in method, headers or port, and for a prefix under a regex', () => {
    expect(
      codes(
        vs(`  http:
    - match: [{uri: {prefix: /api}, method: {exact: POST}}]
      route: [{destination: {host: a}}]
    - match: [{uri: {prefix: /api/v2}}]
      route: [{destination: {host: b}}]
    - match: [{uri: {prefix: /api}, headers: {x-canary: {exact: "1"}}}]
      route: [{destination: {host: c}}]
    - match: [{uri: {prefix: /api}, port: 8080}]
      route: [{destination: {host: d}}]
    - match: [{uri: {regex: "/.*"}}]
      route: [{destination: {host: e}}]
    - match: [{uri: {prefix: /z}}]
      route: [{destination: {host: f}}]
    - route: [{destination: {host: g}}]
`),
      ),
    ).toEqual([]);
  });
});
