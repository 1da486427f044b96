import { brief, run } from './__testUtils__/run';
import { gatewayPortsAnalyzer } from './gatewayPorts';

const workload = `apiVersion: apps/v1
kind: Deployment
metadata: {name: ingress, namespace: istio-system}
spec:
  template:
    metadata: {labels: {istio: ingressgateway}}
    spec: {containers: [{name: istio-proxy}]}
---
apiVersion: v1
kind: Service
metadata: {name: ingress, namespace: istio-system}
spec:
  selector: {istio: ingressgateway}
  ports:
    - {name: http2, port: 80, targetPort: 8080}
    - {name: https, port: 443, targetPort: 8443}
---
`;

describe('MS0215 gateway port not on workload', () => {
  it('flags a server port the gateway Service does not expose', () => {
    const findings = run(
      gatewayPortsAnalyzer,
      `${workload}apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: gw, namespace: istio-system}
spec:
  selector: {istio: ingressgateway}
  servers:
    - port: {number: 8080, name: http, protocol: HTTP}
      hosts: ["*"]
    - port:
        number: 9443
        name: https
        protocol: HTTPS
      hosts: ["*"]
`,
    );
    expect(brief(findings)).toEqual([
      {
        code: 'MS0215',
        istioCode: 'IST0104',
        resource: 'Gateway/istio-system/gw',
        path: '/spec/servers/1/port/number',
        line: 27,
      },
    ]);
  });

  it('is quiet when no Service for the gateway workload is known', () => {
    expect(
      run(
        gatewayPortsAnalyzer,
        `apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: gw, namespace: istio-system}
spec:
  selector: {istio: ingressgateway}
  servers: [{port: {number: 9443, name: https, protocol: HTTPS}, hosts: ["*"]}]
`,
      ),
    ).toEqual([]);
  });
});
