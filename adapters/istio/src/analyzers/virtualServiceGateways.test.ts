import { brief, run } from './__testUtils__/run';
import { virtualServiceGatewaysAnalyzer } from './virtualServiceGateways';

const gateway = `apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: public, namespace: istio-system}
spec: {selector: {istio: ingressgateway}, servers: []}
---
`;

describe('MS0202 VirtualService gateway not found', () => {
  it('flags a gateway that does not exist, at the list item', () => {
    const findings = run(
      virtualServiceGatewaysAnalyzer,
      `${gateway}apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: vs, namespace: shop}
spec:
  hosts: [shop.example.com]
  gateways:
    - istio-system/public
    - public
    - mesh
`,
    );
    expect(brief(findings)).toEqual([
      {
        code: 'MS0202',
        istioCode: 'IST0101',
        resource: 'VirtualService/shop/vs',
        path: '/spec/gateways/1',
        line: 13,
      },
    ]);
  });

  it('is quiet for existing gateways and mesh', () => {
    expect(
      run(
        virtualServiceGatewaysAnalyzer,
        `${gateway}apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: vs, namespace: istio-system}
spec: {hosts: [a], gateways: [public, mesh]}
`,
      ),
    ).toEqual([]);
  });
});
