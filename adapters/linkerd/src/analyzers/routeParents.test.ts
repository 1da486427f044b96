import { brief, run } from './__testUtils__/run';
import { routeParentsAnalyzer } from './routeParents';

const service = (name: string, spec: string) => `---
apiVersion: v1
kind: Service
metadata: {name: ${name}, namespace: shop}
spec: ${spec}
`;
const route = `---
apiVersion: policy.linkerd.io/v1beta3
kind: HTTPRoute
metadata: {name: cart, namespace: shop}
spec:
  parentRefs:
    - {group: core, kind: Service, name: cart}
    - {group: core, kind: Service, name: cart-headless}
    - {kind: Service, name: legacy}
`;

describe('MS0323 route parent Service without a cluster IP', () => {
  it('flags headless and ExternalName parents, and leaves Services with a (future) cluster IP alone', () => {
    const findings = run(
      routeParentsAnalyzer,
      service('cart', '{selector: {app: cart}, ports: [{port: 80}]}') +
        service('cart-headless', '{clusterIP: None, selector: {app: cart}}') +
        service(
          'legacy',
          '{type: ExternalName, externalName: legacy.example.com}',
        ) +
        route,
    );
    expect(brief(findings)).toEqual([
      {
        code: 'MS0323',
        resource: 'HTTPRoute/shop/cart',
        path: '/spec/parentRefs/1/name',
        line: 23,
      },
      {
        code: 'MS0323',
        resource: 'HTTPRoute/shop/cart',
        path: '/spec/parentRefs/2/name',
        line: 24,
      },
    ]);
    expect(findings[0].message).toBe(
      'Parent Service "shop/cart-headless" of HTTPRoute "cart" is headless: Linkerd does not accept the route for it (parent service must have a ClusterIP).',
    );
  });

  it('is quiet when every parent Service has a cluster IP', () => {
    expect(
      run(
        routeParentsAnalyzer,
        service('cart', '{clusterIP: 10.96.0.20}') +
          service('cart-headless', '{}') +
          service('legacy', '{type: ClusterIP}') +
          route,
      ),
    ).toEqual([]);
  });
});
