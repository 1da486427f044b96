import { brief, run } from '../../__testUtils__';
import { servicePortNamingAnalyzer } from './servicePortNaming';

describe('MS0105 port name convention', () => {
  it('flags ports with neither a protocol name nor appProtocol', () => {
    const findings = run(
      servicePortNamingAnalyzer,
      `apiVersion: v1
kind: Service
metadata: {name: cart, namespace: shop}
spec:
  ports:
    - name: http-web
      port: 80
    - name: web
      port: 8080
    - port: 9090
    - name: metrics
      port: 9100
      appProtocol: http
    - name: grpc
      port: 50051
`,
    );
    expect(findings.map(brief)).toEqual([
      {
        code: 'MS0105',
        resource: 'Service/shop/cart',
        path: '/spec/ports/1/name',
        line: 8,
      },
      {
        code: 'MS0105',
        resource: 'Service/shop/cart',
        path: '/spec/ports/2',
        line: 10,
      },
    ]);
    expect(findings[0].istioCode).toBe('IST0118');
    expect(findings[0].severity).toBe('info');
  });

  it('leaves alone UDP and well-known TCP ports, system namespaces and control-plane Services', () => {
    const svc = (meta: string, ports: string) => `---
apiVersion: v1
kind: Service
metadata: ${meta}
spec:
  ports: ${ports}
`;
    const findings = run(
      servicePortNamingAnalyzer,
      svc('{name: dns, namespace: shop}', '[{port: 5353, protocol: UDP}]') +
        svc('{name: db, namespace: shop}', '[{port: 3306}, {port: 27017}]') +
        svc('{name: kdns, namespace: kube-system}', '[{port: 9153}]') +
        svc(
          '{name: istiod, namespace: istio-system, labels: {istio: pilot}}',
          '[{name: metrics, port: 15014}]',
        ) +
        svc('{name: cart, namespace: shop}', '[{name: web, port: 8080}]'),
    );
    expect(findings.map(f => f.resource?.name)).toEqual(['cart']);
  });
});
