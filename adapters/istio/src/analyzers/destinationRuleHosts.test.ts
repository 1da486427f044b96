import { brief, run } from './__testUtils__/run';
import { destinationRuleHostsAnalyzer } from './destinationRuleHosts';

const svc = `apiVersion: v1
kind: Service
metadata: {name: reviews, namespace: shop}
spec: {ports: [{name: http, port: 80}]}
---
`;
const dr = (host: string) => `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: dr, namespace: shop}
spec:
  host: ${host}
`;

describe('MS0218 DestinationRule host not found', () => {
  it('flags a DestinationRule for an unknown host', () => {
    expect(
      brief(run(destinationRuleHostsAnalyzer, svc + dr('reviewz'))),
    ).toEqual([
      {
        code: 'MS0218',
        istioCode: 'IST0174',
        resource: 'DestinationRule/shop/dr',
        path: '/spec/host',
        line: 10,
      },
    ]);
  });

  it('is quiet for a known host', () => {
    expect(
      run(
        destinationRuleHostsAnalyzer,
        svc + dr('reviews.shop.svc.cluster.local'),
      ),
    ).toEqual([]);
  });

  it('resolves as istioctl: a Service exported only to its namespace is not visible elsewhere', () => {
    const local = `apiVersion: v1
kind: Service
metadata:
  name: reviews
  namespace: shop
  annotations: {networking.istio.io/exportTo: "."}
spec: {ports: [{name: http, port: 80}]}
---
`;
    const elsewhere = `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: dr, namespace: web}
spec:
  host: reviews.shop.svc.cluster.local
`;
    expect(
      run(destinationRuleHostsAnalyzer, local + elsewhere).map(
        f => f.istioCode,
      ),
    ).toEqual(['IST0174']);
    expect(run(destinationRuleHostsAnalyzer, local + dr('reviews'))).toEqual(
      [],
    );
  });
});
