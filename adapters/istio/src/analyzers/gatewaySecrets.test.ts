import { brief, run } from './__testUtils__/run';
import { gatewaySecretsAnalyzer } from './gatewaySecrets';

const workload = `apiVersion: apps/v1
kind: Deployment
metadata: {name: ingress, namespace: istio-system}
spec:
  template:
    metadata: {labels: {istio: ingressgateway}}
    spec: {containers: [{name: istio-proxy}]}
---
`;
const gateway = `apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: public, namespace: shop}
spec:
  selector: {istio: ingressgateway}
  servers:
    - port: {number: 443, name: https, protocol: HTTPS}
      hosts: [shop.example.com]
      tls:
        mode: SIMPLE
        credentialName: shop-cert
`;

describe('MS0204 gateway credential not found', () => {
  it("flags a credentialName missing from the gateway workload's namespace", () => {
    const secretElsewhere = `---
apiVersion: v1
kind: Secret
metadata: {name: shop-cert, namespace: shop}
`;
    const findings = run(
      gatewaySecretsAnalyzer,
      workload + gateway + secretElsewhere,
    );
    expect(brief(findings)).toEqual([
      {
        code: 'MS0204',
        istioCode: 'IST0101',
        resource: 'Gateway/shop/public',
        path: '/spec/servers/0/tls/credentialName',
        line: 19,
      },
    ]);
    expect(findings[0].message).toContain('"istio-system"');
  });

  it('is quiet when the Secret is where the gateway runs', () => {
    expect(
      run(
        gatewaySecretsAnalyzer,
        `${workload + gateway}---
apiVersion: v1
kind: Secret
metadata: {name: shop-cert, namespace: istio-system}
`,
      ),
    ).toEqual([]);
  });
});
