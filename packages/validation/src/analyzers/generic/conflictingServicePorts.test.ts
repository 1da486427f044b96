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

function svc(name: string, portName: string, transport = 'TCP') {
  return `---
apiVersion: v1
kind: Service
metadata: {name: ${name}, namespace: shop}
spec:
  selector: {app: cart}
  ports: [{name: ${portName}, port: 8080, protocol: ${transport}}]
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
    // istioctl compares transports only, and only for Deployments in the mesh.
    expect(findings[0].istioCode).toBeUndefined();
    expect(findings[0].message).toContain('port 8080');
  });

  it('carries IST0116 for a Deployment in the mesh whose Services differ in transport', () => {
    const injected = `---
apiVersion: v1
kind: Namespace
metadata: {name: shop, labels: {istio-injection: enabled}}
`;
    const findings = run(
      conflictingServicePortsAnalyzer,
      deployment +
        injected +
        svc('cart', 'tcp') +
        svc('cart-udp', 'udp', 'UDP'),
    );
    expect(findings.map(f => [f.code, f.istioCode])).toEqual([
      ['MS0106', 'IST0116'],
    ]);
    const optedOut = deployment.replace(
      'labels: {app: cart}',
      "labels: {app: cart, sidecar.istio.io/inject: 'false'}",
    );
    expect(
      run(
        conflictingServicePortsAnalyzer,
        optedOut +
          injected +
          svc('cart', 'tcp') +
          svc('cart-udp', 'udp', 'UDP'),
      ).map(f => [f.code, f.istioCode]),
    ).toEqual([['MS0106', undefined]]);
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
