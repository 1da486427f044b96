import { brief, run } from './__testUtils__/run';
import { ineffectiveMatchAnalyzer } from './ineffectiveMatch';

describe('MS0211 ineffective match', () => {
  it('flags a route after a catch-all and a duplicated match', () => {
    const findings = run(
      ineffectiveMatchAnalyzer,
      `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: vs, namespace: shop}
spec:
  hosts: [shop]
  http:
    - match: [{uri: {prefix: /api}}]
      route: [{destination: {host: api}}]
    - match:
        - uri: {prefix: /api}
        - uri: {prefix: /v2}
      route: [{destination: {host: api2}}]
    - match: [{uri: {prefix: /}}]
      route: [{destination: {host: web}}]
    - match:
        - uri: {prefix: /admin}
      route: [{destination: {host: admin}}]
`,
    );
    expect(brief(findings)).toEqual([
      {
        code: 'MS0211',
        istioCode: 'IST0131',
        resource: 'VirtualService/shop/vs',
        path: '/spec/http/1/match/0',
        line: 10,
      },
      {
        code: 'MS0211',
        istioCode: 'IST0131',
        resource: 'VirtualService/shop/vs',
        path: '/spec/http/3/match',
        line: 15,
      },
    ]);
  });

  it('is quiet when the catch-all comes last', () => {
    expect(
      run(
        ineffectiveMatchAnalyzer,
        `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: vs, namespace: shop}
spec:
  hosts: [shop]
  http:
    - match: [{uri: {prefix: /admin}}]
      route: [{destination: {host: admin}}]
    - route: [{destination: {host: web}}]
`,
      ),
    ).toEqual([]);
  });
});
