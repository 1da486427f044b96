import { brief, run } from './__testUtils__/run';
import { regexAnalyzer } from './regex';

describe('MS0210 invalid regex', () => {
  it('flags invalid and RE2-unsupported expressions at their field', () => {
    const findings = run(
      regexAnalyzer,
      `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: vs, namespace: shop}
spec:
  hosts: [shop]
  http:
    - match:
        - uri:
            regex: "/api/(v1|v2"
          headers:
            x-user:
              regex: "^(?!admin).*"
        - uri: {regex: "/ok/.*"}
      route: [{destination: {host: shop}}]
`,
    );
    expect(brief(findings)).toEqual([
      {
        code: 'MS0210',
        istioCode: undefined,
        resource: 'VirtualService/shop/vs',
        path: '/spec/http/0/match/0/uri/regex',
        line: 9,
      },
      {
        code: 'MS0210',
        istioCode: undefined,
        resource: 'VirtualService/shop/vs',
        path: '/spec/http/0/match/0/headers/x-user/regex',
        line: 12,
      },
    ]);
    expect(findings[1].message).toContain(
      'lookahead/lookbehind is not supported by RE2',
    );
  });
});
