import { meshConfigDoc } from './__testUtils__/meshConfig';
import { brief, run } from './__testUtils__/run';
import { gatewayPortsAnalyzer } from './gatewayPorts';

const gateway = (selector: string, ...ports: number[]) => `---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: gw, namespace: istio-system}
spec:
  selector: ${selector}
  servers:
${ports
  .map(
    p => `    - port: {number: ${p}, name: p${p}, protocol: HTTPS}
      hosts: ["*"]`,
  )
  .join('\n')}
`;
const service = (name: string, selector: string, ports: string) => `---
apiVersion: v1
kind: Service
metadata: {name: ${name}, namespace: istio-system}
spec:
  selector: ${selector}
  ports: ${ports}
`;
const deployment = (labels: string) => `---
apiVersion: apps/v1
kind: Deployment
metadata: {name: gw, namespace: istio-system}
spec:
  template:
    metadata: {labels: ${labels}}
    spec: {containers: [{name: istio-proxy}]}
`;

const found = (yaml: string) =>
  brief(run(gatewayPortsAnalyzer, yaml)).map(f => [
    f.code,
    f.istioCode,
    f.path,
  ]);

describe('MS0215 gateway port not defined on the gateway Service (IST0162)', () => {
  it("checks istioctl's default ingress gateway Service on files: 443 is there, 9443 is not", () => {
    expect(found(gateway('{istio: ingressgateway}', 443, 9443))).toEqual([
      ['MS0215', 'IST0162', '/spec/servers/1/port/number'],
    ]);
  });

  it('counts the targetPort and port of every TCP port of the Services selecting the gateway', () => {
    const yaml =
      gateway('{istio: ingressgateway}', 8080, 8443, 5353, 9443) +
      service(
        'ingress',
        '{istio: ingressgateway}',
        '[{port: 8443, targetPort: 8443}, {port: 80, targetPort: 8080}, {port: 5353, protocol: UDP}]',
      );
    expect(found(yaml).map(f => f[2])).toEqual([
      '/spec/servers/2/port/number',
      '/spec/servers/3/port/number',
    ]);
  });

  it('checks a custom gateway known only by its Deployment without the istioctl code', () => {
    const yaml =
      gateway('{app: my-gateway}', 8443, 9443) +
      deployment('{app: my-gateway}') +
      service(
        'my-gateway',
        '{app: my-gateway}',
        '[{port: 443, targetPort: 8443}]',
      );
    expect(found(yaml)).toEqual([
      ['MS0215', undefined, '/spec/servers/1/port/number'],
    ]);
  });

  it('is quiet without any gateway instance, e.g. with the ingress controller off in the mesh config', () => {
    expect(
      found(
        gateway('{istio: ingressgateway}', 9443) +
          meshConfigDoc('ingressControllerMode: "OFF"'),
      ),
    ).toEqual([]);
    expect(found(gateway('{app: nowhere}', 9443))).toEqual([]);
  });
});
