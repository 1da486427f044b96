import { execFileSync } from 'node:child_process';
import {
  createPrivateKey,
  createPublicKey,
  X509Certificate,
} from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createCertificateAuthority,
  issueServerCertificate,
} from './certificates';
import { integer, namedBits, oid, time } from './der';

describe('DER encoding', () => {
  it('encodes the primitives X.509 needs', () => {
    expect(oid('1.2.840.10045.4.3.2').toString('hex')).toBe(
      '06082a8648ce3d040302',
    );
    expect(integer(2).toString('hex')).toBe('020102');
    expect(integer(128).toString('hex')).toBe('02020080');
    expect(integer(Buffer.from([0, 0, 5])).toString('hex')).toBe('020105');
    expect(namedBits([5, 6]).toString('hex')).toBe('03020106');
    expect(namedBits([0, 2]).toString('hex')).toBe('030205a0');
    expect(time(new Date('2026-01-02T03:04:05Z')).toString()).toContain(
      '260102030405Z',
    );
    expect(time(new Date('2051-01-02T03:04:05Z')).toString()).toContain(
      '20510102030405Z',
    );
  });
});

describe('certificates', () => {
  const ca = createCertificateAuthority();
  const server = issueServerCertificate(ca, [
    '127.0.0.1',
    'localhost',
    '10.1.2.3',
    'kube.example',
    '::1',
  ]);
  const caCert = new X509Certificate(ca.certPem);
  const cert = new X509Certificate(server.certPem);

  it('makes a self-signed CA', () => {
    expect(caCert.ca).toBe(true);
    expect(caCert.subject).toBe('CN=kube-sim-ca');
    expect(caCert.checkIssued(caCert)).toBe(true);
    expect(caCert.verify(caCert.publicKey)).toBe(true);
    // Node's keyUsage is the extended key usage, which a CA does not need
    expect(caCert.keyUsage).toBeUndefined();
    expect(
      caCert.publicKey.equals(createPublicKey(createPrivateKey(ca.keyPem))),
    ).toBe(true);
    const days =
      (Date.parse(caCert.validTo) - Date.parse(caCert.validFrom)) / 86400000;
    expect(Math.round(days)).toBe(3650);
  });

  it('issues a server certificate for the hosts, signed by the CA', () => {
    expect(cert.ca).toBe(false);
    expect(cert.subject).toBe('CN=kube-apiserver');
    expect(cert.issuer).toBe('CN=kube-sim-ca');
    expect(cert.checkIssued(caCert)).toBe(true);
    expect(cert.verify(caCert.publicKey)).toBe(true);
    expect(cert.verify(cert.publicKey)).toBe(false);
    expect(cert.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(cert.checkIP('10.1.2.3')).toBe('10.1.2.3');
    expect(cert.checkIP('::1')).toBe('::1');
    expect(cert.checkIP('127.0.0.2')).toBeUndefined();
    expect(cert.checkHost('localhost')).toBe('localhost');
    expect(cert.checkHost('kube.example')).toBe('kube.example');
    expect(cert.checkHost('other.example')).toBeUndefined();
    expect(cert.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']);
    expect(cert.subjectAltName?.split(', ').sort()).toEqual(
      [
        'DNS:kube.example',
        'DNS:localhost',
        'IP Address:0:0:0:0:0:0:0:1',
        'IP Address:10.1.2.3',
        'IP Address:127.0.0.1',
      ].sort(),
    );
  });

  it('is a certificate OpenSSL verifies against the CA', () => {
    let openssl = true;
    try {
      execFileSync('openssl', ['version']);
    } catch {
      openssl = false;
    }
    if (!openssl) return; // the cross-check is optional
    const dir = mkdtempSync(join(tmpdir(), 'kube-sim-certs-'));
    try {
      writeFileSync(join(dir, 'ca.pem'), ca.certPem);
      writeFileSync(join(dir, 'server.pem'), server.certPem);
      const out = execFileSync(
        'openssl',
        [
          'verify',
          '-x509_strict',
          '-purpose',
          'sslserver',
          '-verify_ip',
          '127.0.0.1',
          '-CAfile',
          join(dir, 'ca.pem'),
          join(dir, 'server.pem'),
        ],
        { encoding: 'utf8' },
      );
      expect(out.trim()).toBe(`${join(dir, 'server.pem')}: OK`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
