import { brief, run } from './__testUtils__/run';
import { negativeConditionsAnalyzer } from './negativeConditions';

describe('MS0247 negative status conditions (IST0171)', () => {
  it('reports False conditions istioctl watches, per route parent', () => {
    const findings = run(
      negativeConditionsAnalyzer,
      `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: web, namespace: shop}
spec: {parentRefs: [{name: gw}]}
status:
  parents:
    - parentRef: {name: gw}
      controllerName: istio.io/gateway-controller
      conditions:
        - {type: Accepted, status: "True", reason: Accepted}
        - {type: ResolvedRefs, status: "False", reason: BackendNotFound, message: "backend web not found"}
---
apiVersion: v1
kind: Service
metadata: {name: cart, namespace: shop}
status:
  conditions:
    - {type: istio.io/WaypointBound, status: "False", reason: WaypointNotFound, message: none}
`,
    );
    expect(
      brief(findings).map(f => [f.code, f.istioCode, f.resource, f.path]),
    ).toEqual([
      [
        'MS0247',
        'IST0171',
        'HTTPRoute/shop/web',
        '/status/parents/0/conditions/1',
      ],
      ['MS0247', 'IST0171', 'Service/shop/cart', '/status/conditions/0'],
    ]);
    expect(findings[0].message).toBe(
      'HTTPRoute "web" has a negative condition: type=ResolvedRefs, status=False, reason=BackendNotFound, message=backend web not found.',
    );
  });

  it('reports a partially invalid AuthorizationPolicy even when accepted', () => {
    expect(
      run(
        negativeConditionsAnalyzer,
        `apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: allow, namespace: shop}
status:
  conditions:
    - {type: WaypointAccepted, status: "True", reason: PartiallyInvalid, message: "unsupported field"}
`,
      ).map(f => f.istioCode),
    ).toEqual(['IST0171']);
  });

  it('is quiet for True conditions, unwatched condition types and kinds', () => {
    expect(
      run(
        negativeConditionsAnalyzer,
        `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: gw, namespace: shop}
status:
  conditions:
    - {type: Accepted, status: "True"}
    - {type: Ready, status: "False"}
---
apiVersion: v1
kind: Service
metadata: {name: cart, namespace: shop}
status:
  conditions: [{type: Ready, status: "False"}]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: vs, namespace: shop}
status:
  conditions: [{type: Accepted, status: "False"}]
`,
      ),
    ).toEqual([]);
  });
});
