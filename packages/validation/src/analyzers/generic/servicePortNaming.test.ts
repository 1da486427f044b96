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
});
