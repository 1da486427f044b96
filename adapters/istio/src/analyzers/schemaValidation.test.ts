import { brief, run } from './__testUtils__/run';
import { schemaValidationAnalyzer } from './schemaValidation';

describe('MS0217 schema validation', () => {
  it('reports unknown fields and bad enum values with their path', () => {
    const findings = run(
      schemaValidationAnalyzer,
      `apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: default, namespace: shop}
spec:
  mtls:
    mode: STRICTER
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: reviews, namespace: shop}
spec:
  host: reviews
  trafficPolicy:
    tls: {mode: ISTIO_MUTUAL}
  subset:
    - name: v1
`,
    );
    expect(brief(findings)).toEqual([
      {
        code: 'MS0217',
        istioCode: 'IST0106',
        resource: 'PeerAuthentication/shop/default',
        path: '/spec/mtls/mode',
        line: 6,
      },
      {
        code: 'MS0217',
        istioCode: 'IST0106',
        resource: 'DestinationRule/shop/reviews',
        path: '/spec/subset',
        line: 15,
      },
    ]);
    expect(findings.map(f => f.message)).toEqual([
      'Schema validation error: spec.mtls.mode must be one of "UNSET", "DISABLE", "PERMISSIVE", "STRICT".',
      'Schema validation error: spec.subset unknown field.',
    ]);
  });

  it('accepts valid objects', () => {
    expect(
      run(
        schemaValidationAnalyzer,
        `apiVersion: networking.istio.io/v1beta1
kind: VirtualService
metadata: {name: vs, namespace: shop}
spec:
  hosts: [reviews]
  http:
    - match: [{uri: {prefix: /}, headers: {x-a: {exact: b}}}]
      route: [{destination: {host: reviews, subset: v1, port: {number: 80}}, weight: 100}]
      timeout: 5s
`,
      ),
    ).toEqual([]);
  });

  it('reads mirrorPercent as Istio does: a bare number (UInt32Value), not an object', () => {
    const vs = (value: string) => `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: vs, namespace: shop}
spec:
  hosts: [reviews]
  http:
    - route: [{destination: {host: reviews}}]
      mirror: {host: reviews-shadow}
      mirrorPercent: ${value}
`;
    expect(run(schemaValidationAnalyzer, vs('10'))).toEqual([]);
    expect(brief(run(schemaValidationAnalyzer, vs('{value: 10}')))).toEqual([
      {
        code: 'MS0217',
        istioCode: 'IST0106',
        resource: 'VirtualService/shop/vs',
        path: '/spec/http/0/mirrorPercent',
        line: 9,
      },
    ]);
  });
});
