import { brief, run } from './__testUtils__/run';
import { destinationSubsetsAnalyzer } from './destinationSubsets';

const dr = `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: reviews, namespace: shop}
spec:
  host: reviews
  subsets:
    - {name: v1, labels: {version: v1}}
---
`;

describe('MS0203 destination subset not found', () => {
  it('flags a subset the DestinationRule does not define', () => {
    const findings = run(
      destinationSubsetsAnalyzer,
      `${dr}apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews, namespace: shop}
spec:
  hosts: [reviews]
  http:
    - route:
        - destination: {host: reviews, subset: v1}
          weight: 90
        - destination:
            host: reviews
            subset: v2
          weight: 10
`,
    );
    expect(brief(findings)).toEqual([
      {
        code: 'MS0203',
        istioCode: 'IST0101',
        resource: 'VirtualService/shop/reviews',
        path: '/spec/http/0/route/1/destination/subset',
        line: 20,
      },
    ]);
    expect(findings[0].message).toContain(
      'Referenced host+subset in destinationrule not found: "reviews+v2" (DestinationRule shop/reviews for reviews does not define it)',
    );
  });

  it('is quiet when the subset exists (host written as FQDN)', () => {
    expect(
      run(
        destinationSubsetsAnalyzer,
        `${dr}apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews, namespace: shop}
spec:
  hosts: [reviews]
  http: [{route: [{destination: {host: reviews.shop.svc.cluster.local, subset: v1}}]}]
`,
      ),
    ).toEqual([]);
  });
});
