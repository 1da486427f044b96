import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

export const DAY = 24 * 60 * 60 * 1000;
/** The time rule tests check validity against. */
export const NOW = Date.parse('2026-06-01T00:00:00Z');

const ALGORITHMS = {
  'P-256': { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' },
  'P-384': { name: 'ECDSA', namedCurve: 'P-384', hash: 'SHA-384' },
  'RSA-2048': {
    name: 'RSASSA-PKCS1-v1_5',
    modulusLength: 2048,
    publicExponent: new Uint8Array([1, 0, 1]),
    hash: 'SHA-256',
  },
} as const;

/** A certificate of our own making with its key, PEM. */
export interface TestCert {
  pem: string;
  keyPem: string;
  cert: x509.X509Certificate;
  keys: CryptoKeyPair;
  alg: keyof typeof ALGORITHMS;
}

/**
 * Makes a certificate: self-signed unless `signer` is given, valid from `from` to `to` days
 * around {@link NOW}, a CA unless `ca: false`, with DNS names and serving key usages when given.
 */
export async function makeCert(options: {
  cn: string;
  signer?: TestCert;
  alg?: keyof typeof ALGORITHMS;
  ca?: boolean;
  from?: number;
  to?: number;
  dns?: string[];
  /** Key usages of a serving certificate (no `keyCertSign`), as Linkerd's chart makes them. */
  serving?: boolean;
}): Promise<TestCert> {
  const alg = options.alg ?? 'P-256';
  const keys = (await webcrypto.subtle.generateKey(ALGORITHMS[alg], true, [
    'sign',
    'verify',
  ])) as unknown as CryptoKeyPair;
  const signer = options.signer;
  const ca = options.ca ?? true;
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: '01',
    subject: `CN=${options.cn}`,
    issuer: signer ? signer.cert.subject : `CN=${options.cn}`,
    notBefore: new Date(NOW + (options.from ?? -1) * DAY),
    notAfter: new Date(NOW + (options.to ?? 365) * DAY),
    signingAlgorithm: ALGORITHMS[signer?.alg ?? alg],
    publicKey: keys.publicKey,
    signingKey: signer?.keys.privateKey ?? keys.privateKey,
    extensions: [
      new x509.BasicConstraintsExtension(ca, undefined, true),
      ...(options.serving
        ? [
            new x509.KeyUsagesExtension(
              x509.KeyUsageFlags.digitalSignature |
                x509.KeyUsageFlags.keyEncipherment,
              true,
            ),
          ]
        : []),
      ...(options.dns
        ? [
            new x509.SubjectAlternativeNameExtension(
              options.dns.map(value => ({ type: 'dns' as const, value })),
            ),
          ]
        : []),
    ],
  });
  const pkcs8 = Buffer.from(
    await webcrypto.subtle.exportKey('pkcs8', keys.privateKey as any),
  ).toString('base64');
  const keyPem = `-----BEGIN PRIVATE KEY-----\n${pkcs8
    .match(/.{1,64}/g)!
    .join('\n')}\n-----END PRIVATE KEY-----\n`;
  return { pem: cert.toString('pem'), keyPem, cert, keys, alg };
}

const b64 = (text: string) => Buffer.from(text).toString('base64');

/** A Secret in `linkerd` with `data` base64-encoded from the texts given. */
export function secretYaml(
  name: string,
  data: Record<string, string>,
  type = 'kubernetes.io/tls',
): string {
  return `---
apiVersion: v1
kind: Secret
metadata: {name: ${name}, namespace: linkerd}
type: ${type}
data:
${Object.entries(data)
  .map(([k, v]) => `  ${k}: ${b64(v)}`)
  .join('\n')}
`;
}

/** A ConfigMap in `linkerd` holding `text` under `key` (a YAML block scalar). */
export function configMapYaml(name: string, key: string, text: string) {
  return `---
apiVersion: v1
kind: ConfigMap
metadata: {name: ${name}, namespace: linkerd}
data:
  ${key}: |
${text
  .trim()
  .split('\n')
  .map(l => `    ${l}`)
  .join('\n')}
`;
}
