import { X509Certificate, createPrivateKey } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { MemoryPlanSecrets, REDACTED } from '@meshstage/plugin-mesh-node';
import { objectRef } from '@meshstage/plugin-mesh-common';
import {
  createIssuer,
  createTrustAnchor,
  issuerSecret,
  secretValue,
} from './identity';

describe('Linkerd identity material', () => {
  it('makes a P-256 trust anchor and an issuer signed by it, both CAs for certSign and crlSign', async () => {
    const now = new Date('2026-11-25T12:00:00Z');
    const anchor = await createTrustAnchor({ now });
    const issuer = await createIssuer(anchor, { now });

    const root = new X509Certificate(anchor.certPEM);
    const inter = new X509Certificate(issuer.certPEM);
    expect(root.subject).toBe('CN=root.linkerd.cluster.local');
    expect(root.issuer).toBe('CN=root.linkerd.cluster.local');
    expect(inter.subject).toBe('CN=identity.linkerd.cluster.local');
    expect(inter.issuer).toBe('CN=root.linkerd.cluster.local');
    expect(root.ca).toBe(true);
    expect(inter.ca).toBe(true);
    expect(root.verify(root.publicKey)).toBe(true);
    expect(inter.checkIssued(root)).toBe(true);
    expect(inter.verify(root.publicKey)).toBe(true);
    expect(inter.checkPrivateKey(createPrivateKey(issuer.keyPEM))).toBe(true);
    expect(root.checkPrivateKey(createPrivateKey(anchor.keyPEM))).toBe(true);
    for (const cert of [root, inter]) {
      expect(cert.publicKey.asymmetricKeyType).toBe('ec');
      expect(cert.publicKey.asymmetricKeyDetails?.namedCurve).toBe(
        'prime256v1',
      );
      expect(new Date(cert.validFrom).getTime()).toBeLessThanOrEqual(
        now.getTime(),
      );
    }
    expect(issuer.keyPEM).toMatch(/^-----BEGIN EC PRIVATE KEY-----/);

    for (const pem of [anchor.certPEM, issuer.certPEM]) {
      const cert = new x509.X509Certificate(pem);
      const basic = cert.getExtension(x509.BasicConstraintsExtension)!;
      expect(basic.ca).toBe(true);
      expect(basic.critical).toBe(true);
      const usage = cert.getExtension(x509.KeyUsagesExtension)!;
      expect(usage.critical).toBe(true);
      expect(usage.usages).toBe(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
      );
    }
    expect(
      new x509.X509Certificate(issuer.certPEM).getExtension(
        x509.BasicConstraintsExtension,
      )!.pathLength,
    ).toBe(0);
  });

  it("stores the issuer as Linkerd's kubernetes.io/tls Secret with the key kept out of the object", async () => {
    const anchor = await createTrustAnchor();
    const issuer = await createIssuer(anchor);
    const secrets = new MemoryPlanSecrets();
    const secret = issuerSecret(issuer, anchor.certPEM, secrets) as any;
    expect(secret).toMatchObject({
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'kubernetes.io/tls',
      metadata: { name: 'linkerd-identity-issuer', namespace: 'linkerd' },
    });
    expect(Object.keys(secret.data).sort()).toEqual([
      'ca.crt',
      'tls.crt',
      'tls.key',
    ]);
    expect(secret.data['tls.key']).toBe(REDACTED);
    expect(secretValue(secret, 'tls.crt')).toBe(issuer.certPEM);
    expect(secretValue(secret, 'ca.crt')).toBe(anchor.certPEM);
    expect(JSON.stringify(secret)).not.toContain('PRIVATE KEY');
    expect(JSON.stringify(secrets)).not.toContain('PRIVATE KEY');
    const kept = secrets.get(objectRef(secret), 'tls.key')!;
    expect(Buffer.from(kept, 'base64').toString()).toBe(issuer.keyPEM);
  });
});
