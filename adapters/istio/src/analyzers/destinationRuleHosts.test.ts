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
        istioCode: undefined,
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
});
