import {
  configMapYaml,
  makeCert,
  secretYaml,
  TestCert,
} from './__testUtils__/certs';
import { brief, run } from './__testUtils__/run';
import { identityCertificatesAnalyzer } from './identityCertificates';

const identityDeployment = `---
apiVersion: apps/v1
kind: Deployment
metadata: {name: linkerd-identity, namespace: linkerd}
spec:
  template:
    spec:
      containers:
        - name: identity
          args: [-identity-scheme=kubernetes.io/tls]
`;

describe('MS0310/MS0311/MS0314 Linkerd identity issuer and trust anchors', () => {
  let anchor: TestCert;
  let otherAnchor: TestCert;
  let issuer: TestCert;
  beforeAll(async () => {
    anchor = await makeCert({ cn: 'root.linkerd.cluster.local' });
    otherAnchor = await makeCert({ cn: 'root.other.cluster.local' });
    issuer = await makeCert({
      cn: 'identity.linkerd.cluster.local',
      signer: anchor,
    });
  });
  const roots = (...certs: TestCert[]) =>
    configMapYaml(
      'linkerd-identity-trust-roots',
      'ca-bundle.crt',
      certs.map(c => c.pem).join(''),
    );
  const issuerSecret = (cert: TestCert, keyPem = cert.keyPem) =>
    secretYaml('linkerd-identity-issuer', {
      'tls.crt': cert.pem,
      'tls.key': keyPem,
      'ca.crt': anchor.pem,
    });
  const codes = (yaml: string, includesCluster = false) =>
    brief(run(identityCertificatesAnalyzer, yaml, includesCluster)).map(
      f => `${f.code} ${f.resource} ${f.path}`,
    );

  it('is quiet on an ECDSA P-256 CA issuer signed by a trust anchor, in either scheme', () => {
    expect(
      codes(roots(anchor) + issuerSecret(issuer) + identityDeployment, true),
    ).toEqual([]);
    const linkerdScheme = secretYaml(
      'linkerd-identity-issuer',
      { 'crt.pem': issuer.pem, 'key.pem': issuer.keyPem },
      'Opaque',
    );
    expect(codes(roots(otherAnchor, anchor) + linkerdScheme)).toEqual([]);
  });

  it('flags an issuer signed by no trust anchor, naming both sides', () => {
    const findings = run(
      identityCertificatesAnalyzer,
      roots(otherAnchor) + issuerSecret(issuer),
    );
    expect(brief(findings)).toEqual([
      {
        code: 'MS0314',
        resource: 'Secret/linkerd/linkerd-identity-issuer',
        path: '/data/tls.crt',
        line: 22,
      },
    ]);
    expect(findings[0].message).toBe(
      'The issuer certificate "identity.linkerd.cluster.local" is not signed by any of the 1 trust anchor(s) in ConfigMap "linkerd/linkerd-identity-trust-roots".',
    );
  });

  it('flags an issuer that is not a CA, a P-384 issuer and a key of another certificate', async () => {
    const leaf = await makeCert({
      cn: 'identity.linkerd.cluster.local',
      signer: anchor,
      ca: false,
    });
    expect(codes(roots(anchor) + issuerSecret(leaf))).toEqual([
      'MS0314 Secret/linkerd/linkerd-identity-issuer /data/tls.crt',
    ]);
    const p384 = await makeCert({
      cn: 'identity.linkerd.cluster.local',
      signer: anchor,
      alg: 'P-384',
    });
    const findings = run(
      identityCertificatesAnalyzer,
      roots(anchor) + issuerSecret(p384),
    );
    expect(findings.map(f => f.message)).toEqual([
      'The issuer certificate "identity.linkerd.cluster.local" must use P-256 curve for public key, instead P-384 was used.',
    ]);
    expect(codes(roots(anchor) + issuerSecret(issuer, anchor.keyPem))).toEqual([
      'MS0310 Secret/linkerd/linkerd-identity-issuer /data/tls.key',
    ]);
  });

  it('flags missing keys, unreadable anchors and an anchor on a P-384 key', async () => {
    expect(
      codes(
        roots(anchor) +
          secretYaml('linkerd-identity-issuer', { 'tls.crt': issuer.pem }),
      ),
    ).toEqual(['MS0310 Secret/linkerd/linkerd-identity-issuer /data']);
    expect(
      codes(
        configMapYaml(
          'linkerd-identity-trust-roots',
          'ca-bundle.crt',
          '-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----',
        ) + issuerSecret(issuer),
      ),
    ).toEqual([
      'MS0310 ConfigMap/linkerd/linkerd-identity-trust-roots /data/ca-bundle.crt',
    ]);
    const bigAnchor = await makeCert({ cn: 'root', alg: 'P-384' });
    const findings = run(identityCertificatesAnalyzer, roots(bigAnchor));
    expect(findings.map(f => [f.code, f.message])).toEqual([
      [
        'MS0311',
        'Trust anchor "root" must use P-256 curve for public key, instead P-384 was used.',
      ],
    ]);
  });

  it('concludes that the issuer Secret is missing only against a cluster', () => {
    const yaml = roots(anchor) + identityDeployment;
    expect(codes(yaml)).toEqual([]);
    expect(codes(yaml, true)).toEqual([
      'MS0310 Deployment/linkerd/linkerd-identity /metadata/name',
    ]);
  });

  it('reads the trust anchors from linkerd-config when there is no trust-roots ConfigMap', () => {
    const values = `identityTrustAnchorsPEM: |\n${otherAnchor.pem
      .trim()
      .split('\n')
      .map(l => `  ${l}`)
      .join('\n')}\nclusterNetworks: 10.0.0.0/8`;
    expect(
      codes(
        configMapYaml('linkerd-config', 'values', values) +
          secretYaml(
            'linkerd-identity-issuer',
            { 'crt.pem': issuer.pem, 'key.pem': issuer.keyPem },
            'Opaque',
          ),
      ),
    ).toEqual(['MS0314 Secret/linkerd/linkerd-identity-issuer /data/crt.pem']);
  });
});
