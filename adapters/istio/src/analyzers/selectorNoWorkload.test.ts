import { brief, run } from './__testUtils__/run';
import { selectorNoWorkloadAnalyzer } from './selectorNoWorkload';

const workload = `apiVersion: apps/v1
kind: Deployment
metadata: {name: cart, namespace: shop}
spec:
  template:
    metadata: {labels: {app: cart}}
    spec: {containers: [{name: app}]}
---
`;
const policy = (app: string, ns = 'shop') => `apiVersion: security.istio.io/v1
kind: RequestAuthentication
metadata: {name: allow, namespace: ${ns}}
spec:
  selector:
    matchLabels: {app: ${app}}
  jwtRules: [{issuer: https://issuer.example.com}]
`;

describe('MS0209 selector matches no workload', () => {
  it('flags a policy selecting nothing in its namespace', () => {
    const findings = run(selectorNoWorkloadAnalyzer, workload + policy('kart'));
    expect(brief(findings)).toEqual([
      {
        code: 'MS0209',
        istioCode: undefined,
        resource: 'RequestAuthentication/shop/allow',
        path: '/spec/selector/matchLabels',
        line: 14,
      },
    ]);
  });

  it('flags a Gateway whose selector matches no workload as IST0101, even without workloads', () => {
    const gateway = (selector: string) => `apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: gw, namespace: shop}
spec:
  selector: ${selector}
`;
    const findings = run(
      selectorNoWorkloadAnalyzer,
      workload + gateway('{istio: ingresstypo}'),
    );
    expect(
      findings.map(f => [f.code, f.istioCode, f.path, f.source?.line]),
    ).toEqual([['MS0209', 'IST0101', '/spec/selector', 13]]);
    expect(
      run(selectorNoWorkloadAnalyzer, gateway('{istio: ingresstypo}')).map(
        f => f.code,
      ),
    ).toEqual(['MS0209']);
  });

  it("is quiet for a Gateway selecting istioctl's default ingress gateway when no cluster is read", () => {
    expect(
      run(
        selectorNoWorkloadAnalyzer,
        `${workload}apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: gw, namespace: shop}
spec:
  selector: {istio: ingressgateway}
`,
      ),
    ).toEqual([]);
  });

  it('is quiet when it matches, for root-namespace policies, and without any workload', () => {
    expect(run(selectorNoWorkloadAnalyzer, workload + policy('cart'))).toEqual(
      [],
    );
    expect(
      run(
        selectorNoWorkloadAnalyzer,
        workload + policy('cart', 'istio-system'),
      ),
    ).toEqual([]);
    expect(run(selectorNoWorkloadAnalyzer, policy('kart'))).toEqual([]);
  });
});
