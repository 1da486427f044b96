import { run } from './__testUtils__/run';
import { gatewayDuplicateCertificatesAnalyzer } from './gatewayDuplicateCertificates';

const gateway = (name: string, selector: string, tls: string) => `---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: ${name}, namespace: istio-system}
spec:
  selector: ${selector}
  servers:
    - port: {number: 443, name: https, protocol: HTTPS}
      hosts: [${name}.example.com]
      tls: ${tls}
`;

const pairs = (yaml: string) =>
  run(gatewayDuplicateCertificatesAnalyzer, yaml).map(f => [
    f.istioCode,
    f.resource?.name,
  ]);

describe('MS0251 one certificate in several Gateways (IST0138)', () => {
  it('flags Gateways of one workload sharing a credentialName, or a certificate and key file', () => {
    expect(
      pairs(
        gateway(
          'a',
          '{istio: ingressgateway}',
          '{mode: SIMPLE, credentialName: shared}',
        ) +
          gateway(
            'b',
            '{istio: ingressgateway}',
            '{mode: SIMPLE, credentialName: shared}',
          ) +
          gateway(
            'c',
            '{istio: eastwest}',
            '{mode: SIMPLE, serverCertificate: /c.pem, privateKey: /k.pem}',
          ) +
          gateway(
            'd',
            '{istio: eastwest}',
            '{mode: SIMPLE, serverCertificate: /c.pem, privateKey: /k.pem}',
          ),
      ),
    ).toEqual([
      ['IST0138', 'a'],
      ['IST0138', 'b'],
      ['IST0138', 'c'],
      ['IST0138', 'd'],
    ]);
  });

  it('is quiet for different certificates, other workloads, and a file certificate beside a credential', () => {
    expect(
      pairs(
        gateway(
          'a',
          '{istio: ingressgateway}',
          '{mode: SIMPLE, credentialName: one}',
        ) +
          gateway(
            'b',
            '{istio: ingressgateway}',
            '{mode: SIMPLE, credentialName: two}',
          ) +
          gateway(
            'c',
            '{istio: eastwest}',
            '{mode: SIMPLE, credentialName: one}',
          ) +
          gateway(
            'd',
            '{istio: ingressgateway}',
            '{mode: SIMPLE, serverCertificate: /c.pem, privateKey: /k.pem}',
          ) +
          gateway(
            'e',
            '{istio: ingressgateway}',
            '{mode: SIMPLE, serverCertificate: /c.pem, privateKey: /other.pem}',
          ),
      ),
    ).toEqual([]);
  });
});
