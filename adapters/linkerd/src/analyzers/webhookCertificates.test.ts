import { makeCert, secretYaml, TestCert } from './__testUtils__/certs';
import { brief, run } from './__testUtils__/run';
import { webhookCertificatesAnalyzer } from './webhookCertificates';

const HOST = 'linkerd-proxy-injector.linkerd.svc';
const b64 = (text: string) => Buffer.from(text).toString('base64');
const webhookConfig = (caBundle: string) => `---
apiVersion: admissionregistration.k8s.io/v1
kind: MutatingWebhookConfiguration
metadata: {name: linkerd-proxy-injector-webhook-config}
webhooks:
  - name: linkerd-proxy-injector.linkerd.io
    clientConfig:
      service: {name: linkerd-proxy-injector, namespace: linkerd}
      caBundle: ${b64(caBundle)}
`;
const servingSecret = (cert: TestCert) =>
  secretYaml('linkerd-proxy-injector-k8s-tls', {
    'tls.crt': cert.pem,
    'tls.key': cert.keyPem,
  });

describe('MS0315 Linkerd webhook certificate not trusted', () => {
  let ca: TestCert;
  beforeAll(async () => {
    ca = await makeCert({ cn: 'webhook-ca' });
  });

  it('accepts a certificate for the Service name, self-signed or from the CA bundle', async () => {
    // As Linkerd's chart makes them: not a CA, no keyCertSign, and its own CA bundle.
    const selfSigned = await makeCert({
      cn: HOST,
      dns: [HOST],
      ca: false,
      serving: true,
    });
    expect(
      run(
        webhookCertificatesAnalyzer,
        webhookConfig(selfSigned.pem) + servingSecret(selfSigned),
      ),
    ).toEqual([]);
    const issued = await makeCert({
      cn: HOST,
      dns: [HOST],
      signer: ca,
      ca: false,
    });
    expect(
      run(
        webhookCertificatesAnalyzer,
        webhookConfig(ca.pem) + servingSecret(issued),
      ),
    ).toEqual([]);
  });

  it('flags a certificate the CA bundle did not sign, and one for another name', async () => {
    const stranger = await makeCert({ cn: HOST, dns: [HOST] });
    const findings = run(
      webhookCertificatesAnalyzer,
      webhookConfig(ca.pem) + servingSecret(stranger),
    );
    expect(brief(findings)).toEqual([
      {
        code: 'MS0315',
        resource: 'Secret/linkerd/linkerd-proxy-injector-k8s-tls',
        path: '/data/tls.crt',
        line: 16,
      },
    ]);
    expect(findings[0].message).toBe(
      `The serving certificate "${HOST}" in Secret "linkerd-proxy-injector-k8s-tls" is not signed by the caBundle of MutatingWebhookConfiguration "linkerd-proxy-injector-webhook-config".`,
    );
    // The name in the subject alone does not count, as for the API server.
    const wrongName = await makeCert({
      cn: HOST,
      dns: ['linkerd-proxy-injector.other.svc'],
      signer: ca,
      ca: false,
    });
    expect(
      run(
        webhookCertificatesAnalyzer,
        webhookConfig(ca.pem) + servingSecret(wrongName),
      ).map(f => f.message),
    ).toEqual([
      `The serving certificate "${HOST}" in Secret "linkerd-proxy-injector-k8s-tls" is not valid for "${HOST}", the name MutatingWebhookConfiguration "linkerd-proxy-injector-webhook-config" calls.`,
    ]);
  });
});
