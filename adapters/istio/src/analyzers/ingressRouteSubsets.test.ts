import { run } from './__testUtils__/run';
import { ingressRouteSubsetsAnalyzer } from './ingressRouteSubsets';

const subsets = `---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews, namespace: shop}
spec:
  hosts: [reviews]
  http: [{route: [{destination: {host: reviews, subset: v2}}]}]
`;
const ingress = (destination: string) => `---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: public, namespace: shop}
spec:
  hosts: [shop.example.com]
  gateways: [istio-system/public]
  http: [{route: [{destination: ${destination}}]}]
`;

describe('MS0271 subset routing not applying to gateway requests (IST0140)', () => {
  it('flags a gateway route to a host another VirtualService splits into subsets', () => {
    expect(
      run(
        ingressRouteSubsetsAnalyzer,
        subsets + ingress('{host: reviews}'),
      ).map(f => [f.code, f.istioCode, f.resource?.name, f.path]),
    ).toEqual([
      ['MS0271', 'IST0140', 'public', '/spec/http/0/route/0/destination/host'],
    ]);
  });

  it('is quiet when the gateway route names the subset, or for mesh-only VirtualServices', () => {
    expect(
      run(
        ingressRouteSubsetsAnalyzer,
        subsets + ingress('{host: reviews, subset: v2}'),
      ),
    ).toEqual([]);
    expect(
      run(
        ingressRouteSubsetsAnalyzer,
        subsets +
          ingress('{host: reviews}').replace(
            '  gateways: [istio-system/public]\n',
            '',
          ),
      ),
    ).toEqual([]);
  });
});
