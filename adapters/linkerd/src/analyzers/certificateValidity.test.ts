import {
  configMapYaml,
  DAY,
  makeCert,
  NOW,
  secretYaml,
  TestCert,
} from './__testUtils__/certs';
import { brief, run } from './__testUtils__/run';
import { certificateValidityAnalyzer } from './certificateValidity';

const b64 = (text: string) => Buffer.from(text).toString('base64');
const webhookConfig = (caBundle: string) => `---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingWebhookConfiguration
metadata: {name: linkerd-policy-validator-webhook-config}
webhooks:
  - name: linkerd-policy-validator.linkerd.io
    clientConfig:
      service: {name: linkerd-policy-validator, namespace: linkerd}
      caBundle: ${b64(caBundle)}
`;

describe('MS0312/MS0313 Linkerd certificate validity', () => {
  let anchor: TestCert;
  let issuer: TestCert;
  let serving: TestCert;
  beforeAll(async () => {
    anchor = await makeCert({ cn: 'root.linkerd.cluster.local', to: 3650 });
    issuer = await makeCert({
      cn: 'identity.linkerd.cluster.local',
      signer: anchor,
      to: 30,
    });
    serving = await makeCert({
      cn: 'linkerd-policy-validator.linkerd.svc',
      dns: ['linkerd-policy-validator.linkerd.svc'],
      ca: false,
      to: 90,
    });
  });
  const yaml = () =>
    configMapYaml('linkerd-identity-trust-roots', 'ca-bundle.crt', anchor.pem) +
    secretYaml('linkerd-identity-issuer', {
      'tls.crt': issuer.pem,
      'tls.key': issuer.keyPem,
      'ca.crt': anchor.pem,
    }) +
    secretYaml('linkerd-policy-validator-k8s-tls', {
      'tls.crt': serving.pem,
      'tls.key': serving.keyPem,
    }) +
    webhookConfig(serving.pem);

  it('warns 60 days ahead and fails expired or not yet valid certificates, at their field', () => {
    const at = (days: number) =>
      brief(
        run(certificateValidityAnalyzer, yaml(), { now: NOW + days * DAY }),
      ).map(f => `${f.code} ${f.resource} ${f.path}`);
    // The issuer expires in 30 days: within the 60 days linkerd check warns about.
    expect(at(0)).toEqual([
      'MS0313 Secret/linkerd/linkerd-identity-issuer /data/tls.crt',
    ]);
    // Past the issuer's expiry, the webhook certificate (90 days) is within 60 days of its own.
    expect(at(40)).toEqual([
      'MS0312 Secret/linkerd/linkerd-identity-issuer /data/tls.crt',
      'MS0313 Secret/linkerd/linkerd-policy-validator-k8s-tls /data/tls.crt',
    ]);
    // Both the webhook's certificate and its caBundle copy have expired; the caBundle only errs.
    expect(at(100)).toEqual([
      'MS0312 Secret/linkerd/linkerd-identity-issuer /data/tls.crt',
      'MS0312 Secret/linkerd/linkerd-policy-validator-k8s-tls /data/tls.crt',
      'MS0312 ValidatingWebhookConfiguration//linkerd-policy-validator-webhook-config /webhooks/0/clientConfig/caBundle',
    ]);
    // Before they were issued (a day before NOW), every certificate is not valid yet.
    expect(at(-2).every(f => f.startsWith('MS0312'))).toBe(true);
    expect(at(-2)).toHaveLength(4);
  });

  it('names the certificate and the date', () => {
    const [finding] = run(certificateValidityAnalyzer, yaml(), { now: NOW });
    expect(finding.message).toBe(
      `The issuer certificate "identity.linkerd.cluster.local" in Secret "linkerd/linkerd-identity-issuer" expires on ${new Date(
        NOW + 30 * DAY,
      ).toISOString()}, within 60 days.`,
    );
  });

  it('is quiet with more than 60 days left, and without a time to check against', async () => {
    const longIssuer = await makeCert({
      cn: 'identity.linkerd.cluster.local',
      signer: anchor,
      to: 365,
    });
    const longServing = await makeCert({ cn: 'x', to: 365 });
    const fine =
      configMapYaml(
        'linkerd-identity-trust-roots',
        'ca-bundle.crt',
        anchor.pem,
      ) +
      secretYaml('linkerd-identity-issuer', { 'tls.crt': longIssuer.pem }) +
      secretYaml('linkerd-policy-validator-k8s-tls', {
        'tls.crt': longServing.pem,
      }) +
      webhookConfig(longServing.pem);
    expect(run(certificateValidityAnalyzer, fine, { now: NOW })).toEqual([]);
    expect(run(certificateValidityAnalyzer, yaml())).toEqual([]);
  });
});
