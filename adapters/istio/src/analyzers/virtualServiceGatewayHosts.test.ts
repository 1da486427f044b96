import { brief, run } from './__testUtils__/run';
import { virtualServiceGatewayHostsAnalyzer } from './virtualServiceGatewayHosts';

const gateway = `apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: public, namespace: istio-system}
spec:
  selector: {istio: ingressgateway}
  servers:
    - port: {number: 80, name: http, protocol: HTTP}
      hosts: ["shop/shop.example.com", "*.api.example.com", "./internal.example.com"]
---
`;
const vs = (ns: string, hosts: string, gateways = '[istio-system/public]') =>
  `---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: vs, namespace: ${ns}}
spec:
  hosts: ${hosts}
  gateways: ${gateways}
  http: [{route: [{destination: {host: web}}]}]
`;

describe('MS0227 VirtualService host not found in gateway (IST0132)', () => {
  it('flags a VirtualService none of whose hosts the gateway serves to its namespace', () => {
    const findings = run(
      virtualServiceGatewayHostsAnalyzer,
      gateway + vs('shop', '[other.example.com]'),
    );
    expect(brief(findings)).toEqual([
      {
        code: 'MS0227',
        istioCode: 'IST0132',
        resource: 'VirtualService/shop/vs',
        path: '/spec/gateways/0',
        line: 16,
      },
    ]);
  });

  it('flags a host the gateway offers to another namespace only, and a missing gateway', () => {
    const findings = run(
      virtualServiceGatewayHostsAnalyzer,
      gateway +
        vs('web', '[shop.example.com]') +
        vs('shop', '[shop.example.com]', '[nowhere]').replace(
          'name: vs,',
          'name: vs2,',
        ),
    );
    expect(
      findings.map(f => `${f.resource?.namespace}/${f.resource?.name}`),
    ).toEqual(['web/vs', 'shop/vs2']);
  });

  it('accepts namespace-scoped, wildcard, `./` and Gateway API hosts', () => {
    expect(
      run(
        virtualServiceGatewayHostsAnalyzer,
        `${
          gateway +
          vs('shop', '[shop.example.com]') +
          vs('web', '[v1.api.example.com]').replace('name: vs,', 'name: a,') +
          vs('istio-system', '[internal.example.com]')
        }---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: k8s, namespace: shop}
spec:
  gatewayClassName: istio
  listeners: [{name: http, port: 80, protocol: HTTP, hostname: "*.shop.example.com"}]
${vs('shop', '[cart.shop.example.com]', '[k8s, mesh]').replace(
  'name: vs,',
  'name: b,',
)}`,
      ),
    ).toEqual([]);
  });
});
