import { brief, run } from './__testUtils__/run';
import { deprecatedFieldsAnalyzer } from './deprecatedFields';

describe('MS0265 deprecated fields and removed types (IST0002)', () => {
  it('flags a fault delay percent, a Sidecar egress proxy and a removed RBAC CRD', () => {
    const findings = run(
      deprecatedFieldsAnalyzer,
      `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: vs, namespace: shop}
spec:
  hosts: [cart]
  http:
    - fault: {delay: {percent: 50, fixedDelay: 1s}}
      route: [{destination: {host: cart}}]
---
apiVersion: networking.istio.io/v1
kind: Sidecar
metadata: {name: default, namespace: shop}
spec:
  outboundTrafficPolicy: {mode: ALLOW_ANY, egressProxy: {host: proxy.example.com}}
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: serviceroles.rbac.istio.io}
spec:
  group: rbac.istio.io
  names: {kind: ServiceRole, plural: serviceroles}
`,
    );
    expect(brief(findings).map(f => [f.code, f.istioCode, f.resource])).toEqual(
      [
        ['MS0265', 'IST0002', 'VirtualService/shop/vs'],
        ['MS0265', 'IST0002', 'Sidecar/shop/default'],
        [
          'MS0265',
          'IST0002',
          'CustomResourceDefinition//serviceroles.rbac.istio.io',
        ],
      ],
    );
  });

  it('is quiet for percentage, a Sidecar without egress proxy and current CRDs', () => {
    expect(
      run(
        deprecatedFieldsAnalyzer,
        `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: vs, namespace: shop}
spec:
  hosts: [cart]
  http:
    - fault: {delay: {percentage: {value: 50}, fixedDelay: 1s}}
      route: [{destination: {host: cart}}]
---
apiVersion: networking.istio.io/v1
kind: Sidecar
metadata: {name: default, namespace: shop}
spec:
  outboundTrafficPolicy: {mode: REGISTRY_ONLY}
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: authorizationpolicies.security.istio.io}
spec:
  group: security.istio.io
  names: {kind: AuthorizationPolicy, plural: authorizationpolicies}
`,
      ),
    ).toEqual([]);
  });
});
