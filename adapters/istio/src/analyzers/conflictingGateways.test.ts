import { brief, run } from './__testUtils__/run';
import { conflictingGatewaysAnalyzer } from './conflictingGateways';

const gw = (name: string, selector: string, port: number, host: string) => `---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: ${name}, namespace: istio-system}
spec:
  selector: ${selector}
  servers:
    - port: {number: ${port}, name: http, protocol: HTTP}
      hosts: ["${host}"]
`;

describe('MS0228 conflicting gateways (IST0145)', () => {
  it('flags two Gateways declaring the same host on the same port for the same workload', () => {
    const findings = run(
      conflictingGatewaysAnalyzer,
      gw('alpha', '{istio: ingressgateway}', 80, 'shop.example.com') +
        gw('beta', '{istio: ingressgateway}', 80, 'shop.example.com'),
    );
    expect(brief(findings)).toEqual([
      {
        code: 'MS0228',
        istioCode: 'IST0145',
        resource: 'Gateway/istio-system/alpha',
        path: '/spec/servers/0',
        line: 8,
      },
      {
        code: 'MS0228',
        istioCode: 'IST0145',
        resource: 'Gateway/istio-system/beta',
        path: '/spec/servers/0',
        line: 17,
      },
    ]);
  });

  it('flags a narrower selector when a pod matches both', () => {
    const findings = run(
      conflictingGatewaysAnalyzer,
      `${
        gw('alpha', '{istio: ingressgateway}', 80, 'shop.example.com') +
        gw(
          'beta',
          '{istio: ingressgateway, tier: edge}',
          80,
          'shop.example.com',
        )
      }---
apiVersion: v1
kind: Pod
metadata: {name: gw-1, namespace: istio-system, labels: {istio: ingressgateway, tier: edge}}
spec: {containers: [{name: istio-proxy, image: proxyv2}]}
`,
    );
    expect(findings.map(f => f.resource?.name)).toEqual(['alpha', 'beta']);
  });

  it('is quiet for other ports, other hosts and selectors no pod shares', () => {
    expect(
      run(
        conflictingGatewaysAnalyzer,
        gw('alpha', '{istio: ingressgateway}', 80, 'shop.example.com') +
          gw('beta', '{istio: ingressgateway}', 8080, 'shop.example.com') +
          gw('gamma', '{istio: ingressgateway}', 80, 'cart.example.com') +
          gw(
            'delta',
            '{istio: ingressgateway, tier: edge}',
            80,
            'shop.example.com',
          ),
      ),
    ).toEqual([]);
  });
});
