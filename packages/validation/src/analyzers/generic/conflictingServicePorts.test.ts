import { brief, run } from '../../__testUtils__';
import { conflictingServicePortsAnalyzer } from './conflictingServicePorts';

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata: {name: cart, namespace: shop}
spec:
  template:
    metadata:
      labels: {app: cart}
    spec: {containers: [{name: app}]}
`;

function svc(name: string, portName: string) {
  return `---
apiVersion: v1
kind: Service
metadata: {name: ${name}, namespace: shop}
spec:
  selector: {app: cart}
  ports: [{name: ${portName}, port: 8080}]
`;
}

describe('MS0106 workload with conflicting service ports', () => {
  it('flags a workload selected by Services with one port, two protocols', () => {
    const findings = run(
      conflictingServicePortsAnalyzer,
      deployment + svc('cart', 'http') + svc('cart-raw', 'tcp'),
    );
    expect(findings.map(brief)).toEqual([
      {
        code: 'MS0106',
        resource: 'Deployment/shop/cart',
        path: '/spec/template/metadata/labels',
        line: 7,
      },
    ]);
    expect(findings[0].istioCode).toBe('IST0116');
    expect(findings[0].message).toContain('port 8080');
  });

  it('is quiet when the protocols agree', () => {
    expect(
      run(
        conflictingServicePortsAnalyzer,
        deployment + svc('cart', 'http') + svc('cart-2', 'http-alt'),
      ),
    ).toEqual([]);
  });
});
