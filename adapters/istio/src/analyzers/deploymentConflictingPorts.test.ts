import { brief, run } from './__testUtils__/run';
import { deploymentConflictingPortsAnalyzer } from './deploymentConflictingPorts';

const setup = (inject: string) => `---
apiVersion: v1
kind: Namespace
metadata: {name: shop, labels: {istio-injection: enabled}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: cart, namespace: shop}
spec:
  template:
    metadata: {labels: {app: cart${inject}}}
    spec: {containers: [{name: app, ports: [{containerPort: 8080}]}]}
`;
const service = (name: string, port: number, targetPort: number) => `---
apiVersion: v1
kind: Service
metadata: {name: ${name}, namespace: shop}
spec:
  selector: {app: cart}
  ports: [{name: http, port: ${port}, targetPort: ${targetPort}}]
`;

describe('MS0236 Services sending different ports to one target port (IST0137)', () => {
  it('flags a Deployment in the mesh whose Services map ports 80 and 8080 to target 8080', () => {
    const findings = run(
      deploymentConflictingPortsAnalyzer,
      setup('') + service('cart', 80, 8080) + service('cart-alt', 8080, 8080),
    );
    expect(brief(findings)).toEqual([
      {
        code: 'MS0236',
        istioCode: 'IST0137',
        resource: 'Deployment/shop/cart',
        path: '/metadata/name',
        line: 8,
      },
    ]);
    expect(findings[0].message).toBe(
      'Deployment "cart" is selected by Services cart, cart-alt using targetPort "8080" but different ports: 80, 8080.',
    );
  });

  it('is quiet when the ports agree, the targets differ, or the Deployment is out of the mesh', () => {
    const quiet = (yaml: string) =>
      expect(run(deploymentConflictingPortsAnalyzer, yaml)).toEqual([]);
    quiet(
      setup('') + service('cart', 80, 8080) + service('cart-alt', 80, 8080),
    );
    quiet(
      setup('') + service('cart', 80, 8080) + service('cart-alt', 81, 8081),
    );
    quiet(
      setup(', sidecar.istio.io/inject: "false"') +
        service('cart', 80, 8080) +
        service('cart-alt', 8080, 8080),
    );
  });
});
