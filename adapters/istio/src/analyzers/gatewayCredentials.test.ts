import { X509Certificate } from 'node:crypto';
import { run } from './__testUtils__/run';
import { gatewayCredentialsAnalyzer } from './gatewayCredentials';

/** A self-signed certificate of our own (CN shop.example.com), valid for ten years from its creation. */
const CERT = `-----BEGIN CERTIFICATE-----
MIIBijCCATGgAwIBAgIUU0EwBDrJF90VxdoBMwHDOI0uh9gwCgYIKoZIzj0EAwIw
GzEZMBcGA1UEAwwQc2hvcC5leGFtcGxlLmNvbTAeFw0yNjEyMDIxMDMzNTlaFw0z
NjExMjkxMDMzNTlaMBsxGTAXBgNVBAMMEHNob3AuZXhhbXBsZS5jb20wWTATBgcq
hkjOPQIBBggqhkjOPQMBBwNCAAQRCI68M1PfIlnigxT8ZEhb0JSPhPLyZSHmUTXn
BK+QM/AIt30w1MH35qT2h4sy6mw3O4KlspaQya+W/ySYpM8Ro1MwUTAdBgNVHQ4E
FgQUULSOFOfx+Ux6zO54TsVxDG+znAgwHwYDVR0jBBgwFoAUULSOFOfx+Ux6zO54
TsVxDG+znAgwDwYDVR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNHADBEAiB6WAXD
107cE9Cn7iSUEz4kegfzk4wCBLk6yW2Beczy8QIgUVyUFHsM7kNB9o/i1XD9ov/m
j6uQKOP6V0lQ7eD+Rv0=
-----END CERTIFICATE-----
`;
const validity = new X509Certificate(CERT);
const DAY = 24 * 3600 * 1000;
const during = Date.parse(validity.validFrom) + DAY;
const after = Date.parse(validity.validTo) + DAY;

const b64 = (text: string) => Buffer.from(text).toString('base64');
const secret = (name: string, data: Record<string, string>) => `---
apiVersion: v1
kind: Secret
metadata: {name: ${name}, namespace: istio-system}
type: kubernetes.io/tls
data: {${Object.entries(data)
  .map(([k, v]) => `${k}: ${b64(v)}`)
  .join(', ')}}
`;
const gateway = (name: string, credential: string) => `---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: ${name}, namespace: shop}
spec:
  selector: {istio: ingressgateway}
  servers:
    - port: {number: 443, name: https, protocol: HTTPS}
      hosts: [shop.example.com]
      tls: {mode: SIMPLE, credentialName: ${credential}}
`;

describe('MS0250 unusable gateway credentials (IST0161)', () => {
  it('flags Secrets without the expected keys, with a certificate that is not one, or expired', () => {
    const yaml =
      secret('wrong-keys', { 'tls.cert': CERT, 'tls.key': 'k' }) +
      gateway('wrong-keys', 'wrong-keys') +
      secret('garbage', { cert: 'hush hush', key: 'k' }) +
      gateway('garbage', 'garbage') +
      secret('shop-tls', { 'tls.crt': CERT, 'tls.key': 'k' }) +
      gateway('shop', 'shop-tls');
    const findings = run(gatewayCredentialsAnalyzer, yaml, { now: after });
    expect(findings.map(f => [f.code, f.istioCode, f.resource?.name])).toEqual([
      ['MS0250', 'IST0161', 'wrong-keys'],
      ['MS0250', 'IST0161', 'garbage'],
      ['MS0250', 'IST0161', 'shop'],
    ]);
    expect(
      findings.map(f => f.message.replace(/on \S+\.$/, 'on <date>.')),
    ).toEqual([
      'Gateway credential Secret "istio-system/wrong-keys" cannot be used: it has neither "cert" and "key" nor "tls.crt" and "tls.key" with values (keys: tls.cert, tls.key).',
      'Gateway credential Secret "istio-system/garbage" cannot be used: its "cert" is not PEM.',
      'Gateway credential Secret "istio-system/shop-tls" cannot be used: its certificate expired on <date>.',
    ]);
  });

  it('is quiet for a valid certificate, without a time, and for a missing Secret (MS0204)', () => {
    const yaml =
      secret('shop-tls', { 'tls.crt': CERT, 'tls.key': 'k' }) +
      gateway('shop', 'shop-tls') +
      gateway('elsewhere', 'no-such-secret');
    expect(run(gatewayCredentialsAnalyzer, yaml, { now: during })).toEqual([]);
    expect(run(gatewayCredentialsAnalyzer, yaml)).toEqual([]);
  });
});
