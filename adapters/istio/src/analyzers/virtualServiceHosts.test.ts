import { brief, run } from './__testUtils__/run';
import { virtualServiceHostsAnalyzer } from './virtualServiceHosts';

const services = `apiVersion: v1
kind: Service
metadata: {name: reviews, namespace: shop}
spec: {ports: [{name: http, port: 80}]}
---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: ext, namespace: shop}
spec: {hosts: ["*.example.com"]}
---
`;

describe('MS0201 VirtualService destination host not found', () => {
  it('flags a destination host no Service or ServiceEntry defines', () => {
    const findings = run(
      virtualServiceHostsAnalyzer,
      `${services}apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: vs, namespace: shop}
spec:
  hosts: [reviews]
  http:
    - route:
        - destination: {host: reviews}
        - destination:
            host: ratings
`,
    );
    expect(brief(findings)).toEqual([
      {
        code: 'MS0201',
        istioCode: 'IST0101',
        resource: 'VirtualService/shop/vs',
        path: '/spec/http/0/route/1/destination/host',
        line: 20,
      },
    ]);
    expect(findings[0].message).toBe(
      'Referenced host not found: "ratings" (no Service or ServiceEntry defines ratings.shop.svc.cluster.local).',
    );
  });

  it('accepts short names, FQDNs, other namespaces and ServiceEntry wildcards', () => {
    expect(
      run(
        virtualServiceHostsAnalyzer,
        `${services}apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: vs, namespace: other}
spec:
  hosts: [reviews.shop.svc.cluster.local]
  http:
    - route: [{destination: {host: reviews.shop.svc.cluster.local}}]
      mirror: {host: api.example.com}
  tcp:
    - route: [{destination: {host: reviews.shop}}]
`,
      ),
    ).toEqual([]);
  });
});
