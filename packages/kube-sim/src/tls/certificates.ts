import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  KeyObject,
  randomBytes,
  sign,
  X509Certificate,
} from 'node:crypto';
import { isIP } from 'node:net';
import {
  bitString,
  boolean,
  explicit,
  implicitPrimitive,
  integer,
  namedBits,
  octetString,
  oid,
  sequence,
  set,
  time,
  utf8String,
} from './der';

/** A certificate and its private key, both PEM. */
export interface KeyAndCertificate {
  /** PKCS#8 PEM private key. */
  keyPem: string;
  /** X.509 certificate, PEM. */
  certPem: string;
}

const OID = {
  commonName: '2.5.4.3',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  authorityKeyIdentifier: '2.5.29.35',
  extKeyUsage: '2.5.29.37',
  serverAuth: '1.3.6.1.5.5.7.3.1',
};

// keyUsage bit numbers (RFC 5280 4.2.1.3)
const KU = {
  digitalSignature: 0,
  keyEncipherment: 2,
  keyCertSign: 5,
  cRLSign: 6,
};

const DAY_MS = 24 * 60 * 60 * 1000;

/** Name with a single CN, as kubeadm's certificates have. */
function name(commonName: string): Buffer {
  return sequence(set(sequence(oid(OID.commonName), utf8String(commonName))));
}

function extension(id: string, critical: boolean, value: Buffer): Buffer {
  // DER omits a DEFAULT FALSE critical flag
  return critical
    ? sequence(oid(id), boolean(true), octetString(value))
    : sequence(oid(id), octetString(value));
}

/** A positive 16-byte serial number (RFC 5280: at most 20 bytes, positive). */
function serial(): Buffer {
  const b = randomBytes(16);
  b[0] = (b[0] & 0x7f) | 0x01;
  return b;
}

function spki(key: KeyObject): Buffer {
  return key.export({ type: 'spki', format: 'der' });
}

/**
 * Key identifier: SHA-1 of the whole SubjectPublicKeyInfo. It only has to be
 * stable and match between the CA's subjectKeyIdentifier and the server's
 * authorityKeyIdentifier (RFC 7093 allows any such derivation).
 */
function keyId(key: KeyObject): Buffer {
  return createHash('sha1').update(spki(key)).digest();
}

/** GeneralName for a subjectAltName entry: iPAddress [7] or dNSName [2]. */
function altName(host: string): Buffer {
  const family = isIP(host);
  if (family === 4)
    return implicitPrimitive(7, Buffer.from(host.split('.').map(Number)));
  if (family === 6) return implicitPrimitive(7, ipv6Bytes(host));
  return implicitPrimitive(2, Buffer.from(host, 'ascii'));
}

function ipv6Bytes(ip: string): Buffer {
  const [head, tail = ''] = ip.includes('::') ? ip.split('::') : [ip, ''];
  const groups = (s: string) => (s ? s.split(':') : []);
  const h = groups(head);
  const t = groups(tail);
  // an embedded IPv4 tail (::ffff:1.2.3.4) counts as two groups
  const expand = (gs: string[]) =>
    gs.flatMap(g =>
      g.includes('.')
        ? (() => {
            const [a, b, c, d] = g.split('.').map(Number);
            return [((a << 8) | b).toString(16), ((c << 8) | d).toString(16)];
          })()
        : [g],
    );
  const he = expand(h);
  const te = expand(t);
  const all = ip.includes('::')
    ? [...he, ...Array(8 - he.length - te.length).fill('0'), ...te]
    : he;
  const out = Buffer.alloc(16);
  all.forEach((g, i) => out.writeUInt16BE(parseInt(g, 16), i * 2));
  return out;
}

interface CertificateSpec {
  subject: string;
  issuer: string;
  subjectKey: KeyObject;
  issuerPublicKey: KeyObject;
  signingKey: KeyObject;
  notBefore: Date;
  notAfter: Date;
  extensions: Buffer[];
}

/** Builds the TBSCertificate, signs it with ECDSA-SHA256 and returns PEM. */
function buildCertificate(spec: CertificateSpec): string {
  const algorithm = sequence(oid(OID.ecdsaWithSha256)); // no parameters for ECDSA
  const tbs = sequence(
    explicit(0, integer(2)), // version 3
    integer(serial()),
    algorithm,
    name(spec.issuer),
    sequence(time(spec.notBefore), time(spec.notAfter)),
    name(spec.subject),
    spki(spec.subjectKey),
    explicit(
      3,
      sequence(
        extension(
          OID.subjectKeyIdentifier,
          false,
          octetString(keyId(spec.subjectKey)),
        ),
        extension(
          OID.authorityKeyIdentifier,
          false,
          sequence(implicitPrimitive(0, keyId(spec.issuerPublicKey))),
        ),
        ...spec.extensions,
      ),
    ),
  );
  // ECDSA signatures from crypto.sign are DER (r, s) already, as X.509 wants
  const signature = sign('sha256', tbs, spec.signingKey);
  const der = sequence(tbs, algorithm, bitString(signature));
  const b64 = der.toString('base64').replace(/.{64}/g, '$&\n');
  return `-----BEGIN CERTIFICATE-----\n${b64.replace(
    /\n$/,
    '',
  )}\n-----END CERTIFICATE-----\n`;
}

function newKeyPair() {
  return generateKeyPairSync('ec', { namedCurve: 'P-256' });
}

function pem(key: KeyObject): string {
  return key.export({ type: 'pkcs8', format: 'pem' }).toString();
}

/** Options shared by {@link createCertificateAuthority} and {@link issueServerCertificate}. */
export interface CertificateOptions {
  commonName?: string;
  /** Start of validity (default now; backdated an hour for clock skew). */
  now?: Date;
  /** Validity in days. */
  days?: number;
}

/**
 * A self-signed CA (EC P-256, basicConstraints CA:true, keyCertSign), like
 * the cluster CA a real API server's serving certificate chains to.
 */
export function createCertificateAuthority(
  options: CertificateOptions = {},
): KeyAndCertificate {
  const { privateKey, publicKey } = newKeyPair();
  const cn = options.commonName ?? 'kube-sim-ca';
  const now = options.now ?? new Date();
  const certPem = buildCertificate({
    subject: cn,
    issuer: cn,
    subjectKey: publicKey,
    issuerPublicKey: publicKey,
    signingKey: privateKey,
    notBefore: new Date(now.getTime() - 60 * 60 * 1000),
    notAfter: new Date(now.getTime() + (options.days ?? 3650) * DAY_MS),
    extensions: [
      extension(OID.basicConstraints, true, sequence(boolean(true))),
      extension(
        OID.keyUsage,
        true,
        namedBits([KU.digitalSignature, KU.keyCertSign, KU.cRLSign]),
      ),
    ],
  });
  return { keyPem: pem(privateKey), certPem };
}

/**
 * A serving certificate signed by `ca` for `hosts` (IP addresses become IP
 * SANs, anything else DNS SANs; clients verify only the SANs, not the CN).
 */
export function issueServerCertificate(
  ca: KeyAndCertificate,
  hosts: string[],
  options: CertificateOptions = {},
): KeyAndCertificate {
  const caKey = createPrivateKey(ca.keyPem);
  const caCert = new X509Certificate(ca.certPem);
  const { privateKey, publicKey } = newKeyPair();
  const now = options.now ?? new Date();
  const unique = [...new Set(hosts)];
  const certPem = buildCertificate({
    subject: options.commonName ?? 'kube-apiserver',
    issuer: commonNameOf(caCert.subject),
    subjectKey: publicKey,
    issuerPublicKey: createPublicKey(caKey),
    signingKey: caKey,
    notBefore: new Date(now.getTime() - 60 * 60 * 1000),
    notAfter: new Date(now.getTime() + (options.days ?? 365) * DAY_MS),
    extensions: [
      extension(OID.basicConstraints, true, sequence()),
      extension(
        OID.keyUsage,
        true,
        namedBits([KU.digitalSignature, KU.keyEncipherment]),
      ),
      extension(OID.extKeyUsage, false, sequence(oid(OID.serverAuth))),
      extension(OID.subjectAltName, false, sequence(...unique.map(altName))),
    ],
  });
  return { keyPem: pem(privateKey), certPem };
}

/** The CN of an X509Certificate subject string (`CN=kube-sim-ca`). */
function commonNameOf(subject: string): string {
  const line = subject.split('\n').find(l => l.startsWith('CN='));
  if (!line) throw new Error(`CA certificate has no CN: ${subject}`);
  return line.slice(3);
}
