import { createPrivateKey, X509Certificate } from 'node:crypto';

/**
 * Reading the X.509 material Linkerd keeps in Secrets, ConfigMaps and webhook configurations, and
 * the checks `linkerd check` applies to it (`pkg/issuercerts`, `pkg/tls` in linkerd2). Pure:
 * certificates are parsed with `node:crypto`, time is the caller's.
 */

/** `linkerd check` warns when a certificate expires within this many days. */
export const EXPIRY_WARNING_DAYS = 60;
const DAY = 24 * 60 * 60 * 1000;

/** One certificate of a PEM bundle: its position in the bundle and, when it parses, the certificate. */
export interface PemCertificate {
  index: number;
  cert?: X509Certificate;
}

/**
 * The `CERTIFICATE` blocks of a PEM text, each parsed. Whitespace and escaped newlines (`\n` in a
 * JSON string, as a `values` document may hold it) inside a block are ignored.
 */
export function pemCertificates(text: string): PemCertificate[] {
  const blocks = [
    ...text.matchAll(
      /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g,
    ),
  ];
  return blocks.map((m, index) => {
    const body = m[1].replace(/\\n/g, '').replace(/[^A-Za-z0-9+/=]/g, '');
    try {
      return { index, cert: new X509Certificate(Buffer.from(body, 'base64')) };
    } catch {
      return { index };
    }
  });
}

/** `CN=identity.linkerd.cluster.local` for messages (the subject's common name when it has one). */
export function describeCert(cert: X509Certificate): string {
  const cn = /(?:^|\n)CN=([^\n]*)/.exec(cert.subject)?.[1];
  return `"${cn ?? cert.subject.replace(/\n/g, ', ')}"`;
}

/** Why a certificate is not within its validity period at `now`, or undefined when it is. */
export function validityProblem(
  cert: X509Certificate,
  now: number,
): string | undefined {
  const from = Date.parse(cert.validFrom);
  const to = Date.parse(cert.validTo);
  if (from > now) return `is not valid before ${new Date(from).toISOString()}`;
  if (to < now) return `expired on ${new Date(to).toISOString()}`;
  return undefined;
}

/** When a valid certificate expires within {@link EXPIRY_WARNING_DAYS} of `now`, its expiry. */
export function expiresSoon(
  cert: X509Certificate,
  now: number,
): string | undefined {
  const to = Date.parse(cert.validTo);
  if (to < now || now + EXPIRY_WARNING_DAYS * DAY <= to) return undefined;
  return new Date(to).toISOString();
}

/** DER: the tag, the content's start and end of the element at `offset`. */
function derElement(der: Buffer, offset: number) {
  const tag = der[offset];
  let length = der[offset + 1];
  let start = offset + 2;
  if (length & 0x80) {
    const bytes = length & 0x7f;
    length = 0;
    for (let i = 0; i < bytes; i++) length = length * 256 + der[start + i];
    start += bytes;
  }
  return { tag, start, end: start + length };
}

function oidText(bytes: Buffer): string {
  const out = [Math.floor(bytes[0] / 40), bytes[0] % 40];
  let value = 0;
  for (const b of bytes.subarray(1)) {
    value = value * 128 + (b & 0x7f);
    if (!(b & 0x80)) {
      out.push(value);
      value = 0;
    }
  }
  return out.join('.');
}

const SIGNATURE_ALGORITHMS: Record<string, string> = {
  '1.2.840.10045.4.3.2': 'ECDSA-SHA256',
  '1.2.840.10045.4.3.3': 'ECDSA-SHA384',
  '1.2.840.10045.4.3.4': 'ECDSA-SHA512',
  '1.2.840.113549.1.1.5': 'SHA1-RSA',
  '1.2.840.113549.1.1.11': 'SHA256-RSA',
  '1.2.840.113549.1.1.12': 'SHA384-RSA',
  '1.2.840.113549.1.1.13': 'SHA512-RSA',
  '1.2.840.113549.1.1.10': 'SHA256-RSAPSS',
  '1.3.101.112': 'Ed25519',
};

/**
 * The algorithm the certificate is signed with, in Go's names (`ECDSA-SHA256`, `SHA256-RSA`), which
 * `node:crypto` does not expose: read from the certificate's outer `signatureAlgorithm`.
 */
export function signatureAlgorithm(cert: X509Certificate): string {
  try {
    const der = cert.raw;
    const outer = derElement(der, 0);
    const tbs = derElement(der, outer.start);
    const algorithm = derElement(der, tbs.end);
    const oid = derElement(der, algorithm.start);
    const text = oidText(der.subarray(oid.start, oid.end));
    return SIGNATURE_ALGORITHMS[text] ?? text;
  } catch {
    return 'unknown';
  }
}

/** The public key as `linkerd check` names it: `ECDSA P-256`, `RSA 2048`, or the key type. */
function publicKeyOf(cert: X509Certificate) {
  const key = cert.publicKey;
  const details = key.asymmetricKeyDetails ?? {};
  const curve = { prime256v1: 256, secp384r1: 384, secp521r1: 521 }[
    details.namedCurve as string
  ];
  return { type: key.asymmetricKeyType, curve, bits: details.modulusLength };
}

/** `linkerd check`'s ECDSA requirement: a P-256 key, signed with ECDSA-SHA256 (or SHA256-RSA). */
function ecdsaProblem(cert: X509Certificate): string | undefined {
  const { curve } = publicKeyOf(cert);
  if (curve !== 256)
    return `must use P-256 curve for public key, instead ${
      curve ? `P-${curve}` : 'another curve'
    } was used`;
  const signature = signatureAlgorithm(cert);
  if (signature !== 'ECDSA-SHA256' && signature !== 'SHA256-RSA')
    return `must be signed by an ECDSA P-256 key, instead ${signature} was used`;
  return undefined;
}

/**
 * Why Linkerd's identity cannot use a certificate with its key algorithm, or undefined: the issuer
 * must be ECDSA P-256; a trust anchor ECDSA P-256 or RSA 2048/4096 signed with SHA256-RSA.
 */
export function algorithmProblem(
  cert: X509Certificate,
  role: 'issuer' | 'anchor',
): string | undefined {
  const { type, bits } = publicKeyOf(cert);
  if (type === 'ec') return ecdsaProblem(cert);
  if (role === 'anchor' && type === 'rsa') {
    if (bits !== 2048 && bits !== 4096)
      return `RSA must use a 2048 or 4096 bit public key, instead ${bits} bit public key was used`;
    const signature = signatureAlgorithm(cert);
    if (signature !== 'SHA256-RSA')
      return `must be signed by an RSA 2048/4096 bit key, instead ${signature} was used`;
    return undefined;
  }
  return role === 'issuer'
    ? `must use ECDSA for public key algorithm, instead ${type?.toUpperCase()} was used`
    : `must use ECDSA or RSA for public key algorithm, instead ${type?.toUpperCase()} was used`;
}

/**
 * Whether `cert` names `issuer` as its issuer and carries its signature, as Go's chain building
 * (which Linkerd and the API server use) decides it: names and signature, not OpenSSL's issuer
 * checks (a self-signed serving certificate that is its own CA bundle has no `keyCertSign`).
 */
export function signedBy(cert: X509Certificate, issuer: X509Certificate) {
  try {
    return cert.issuer === issuer.subject && cert.verify(issuer.publicKey);
  } catch {
    return false;
  }
}

/**
 * Whether a PEM private key parses and belongs to the certificate (what `tls.ValidateAndCreateCreds`
 * in linkerd2 requires of the issuer's key). The key is never part of a message.
 */
export function keyMatches(cert: X509Certificate, keyPem: string): boolean {
  try {
    return cert.checkPrivateKey(createPrivateKey(keyPem));
  } catch {
    return false;
  }
}
