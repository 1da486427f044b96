import { brief, run } from './__testUtils__/run';
import { routeBackendsAnalyzer } from './routeBackends';

const service = (name: string, ns = 'shop') => `---
apiVersion: v1
kind: Service
metadata: {name: ${name}, namespace: ${ns}}
spec: {ports: [{port: 8080}]}
`;
const route = (
  backends: string,
  parent = '{group: core, kind: Service, name: cart}',
) => `---
apiVersion: policy.linkerd.io/v1beta3
kind: HTTPRoute
metadata: {name: cart, namespace: shop}
spec:
  parentRefs: [${parent}]
  rules:
    - backendRefs:
${backends}
`;
const gatewayRoute = (kind: string, parent: string) => `---
apiVersion: gateway.networking.k8s.io/v1
kind: ${kind}
metadata: {name: cart-gw, namespace: shop}
spec:
  parentRefs: [${parent}]
  rules:
    - backendRefs: [{name: kart, port: 8080}]
`;
const controlPlane = `---
apiVersion: apps/v1
kind: Deployment
metadata: {name: linkerd-destination, namespace: linkerd}
spec:
  selector: {matchLabels: {app: d}}
  template:
    metadata: {labels: {app: d}}
    spec: {containers: [{name: destination, image: cr.l5d.io/linkerd/controller:edge-24.11.8}]}
`;

describe('MS0327 / MS0328 route backendRefs Linkerd does not resolve', () => {
  it('flags a backend Service missing from its namespace and a kind that is not a Service', () => {
    const findings = run(
      routeBackendsAnalyzer,
      service('cart') +
        service('payments', 'billing') +
        route(
          [
            '        - {name: cart, port: 8080}',
            '        - {name: kart, port: 8080}',
            '        - {name: payment, namespace: billing, port: 8080}',
            '        - {group: apps, kind: Deployment, name: cart}',
            '        - {kind: Service, name: cart-v2, namespace: elsewhere, port: 80}',
          ].join('\n'),
        ),
    );
    expect(brief(findings)).toEqual([
      {
        code: 'MS0327',
        resource: 'HTTPRoute/shop/cart',
        path: '/spec/rules/0/backendRefs/1/name',
        line: 20,
      },
      {
        code: 'MS0327',
        resource: 'HTTPRoute/shop/cart',
        path: '/spec/rules/0/backendRefs/2/name',
        line: 21,
      },
      {
        code: 'MS0328',
        resource: 'HTTPRoute/shop/cart',
        path: '/spec/rules/0/backendRefs/3/kind',
        line: 22,
      },
    ]);
    expect(findings.map(f => f.message)).toEqual([
      'backendRef Service "shop/kart" of HTTPRoute "cart" does not exist (ResolvedRefs: False, BackendNotFound).',
      'backendRef Service "billing/payment" of HTTPRoute "cart" does not exist (ResolvedRefs: False, BackendNotFound).',
      'backendRef Deployment.apps "cart" of HTTPRoute "cart" is not a Service: Linkerd does not resolve it (ResolvedRefs: False, InvalidKind).',
    ]);
  });

  it("is quiet when every backend resolves, and on files that hold none of the namespace's Services", () => {
    const backends = [
      '        - {name: cart, port: 8080}',
      '        - {group: core, kind: Service, name: cart, port: 8080}',
      '        - {group: "", kind: service, name: cart, port: 8080}',
      '        - {group: policy.linkerd.io, kind: EgressNetwork, name: internet}',
    ].join('\n');
    expect(
      run(routeBackendsAnalyzer, service('cart') + route(backends)),
    ).toEqual([]);
    // A Service not among the files may exist in the cluster.
    expect(
      run(routeBackendsAnalyzer, route('        - {name: kart, port: 8080}')),
    ).toEqual([]);
  });

  it('concludes a Service is missing on a cluster scan even when its namespace has none', () => {
    expect(
      brief(
        run(
          routeBackendsAnalyzer,
          route('        - {name: kart, port: 8080}'),
          true,
        ),
      ).map(f => f.code),
    ).toEqual(['MS0327']);
  });

  it('judges only routes with a Linkerd parent, and Gateway API routes on a Service only with Linkerd installed', () => {
    const serviceParent = '{kind: Service, name: cart, port: 8080}';
    const serverParent =
      '{group: policy.linkerd.io, kind: Server, name: cart-http}';
    expect(
      run(
        routeBackendsAnalyzer,
        service('cart') +
          route(
            '        - {name: kart, port: 8080}',
            '{group: gateway.networking.k8s.io, kind: Gateway, name: edge}',
          ) +
          gatewayRoute('HTTPRoute', serviceParent),
      ),
    ).toEqual([]);
    expect(
      brief(
        run(
          routeBackendsAnalyzer,
          service('cart') +
            gatewayRoute('GRPCRoute', serverParent) +
            gatewayRoute('HTTPRoute', serviceParent) +
            controlPlane,
        ),
      ).map(f => `${f.code} ${f.resource} ${f.path}`),
    ).toEqual([
      'MS0327 GRPCRoute/shop/cart-gw /spec/rules/0/backendRefs/0/name',
      'MS0327 HTTPRoute/shop/cart-gw /spec/rules/0/backendRefs/0/name',
    ]);
  });
});
