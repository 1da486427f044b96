import { createPrivateKey, randomBytes, webcrypto } from 'node:crypto';
import type * as X509 from '@peculiar/x509';
import type { PlanObject } from '@meshstage/plugin-mesh-common';
import { plannedSecret, type PlanSecrets } from '@meshstage/plugin-mesh-node';
import { CONVENTIONAL_NAMESPACE } from './constants';
import { ISSUER_SECRET } from './manifests/controlPlane';

/**
 * Linkerd's identity material, made by MeshStage as `linkerd install` / the Helm docs' `step`
 * commands make it: a self-signed trust anchor `root.linkerd.cluster.local` and an intermediate
 * issuer `identity.linkerd.cluster.local` signed by it, both ECDSA P-256 CAs (basic constraints
 * CA, key usage certSign + crlSign).
 */

/**
 * The X.509 library, loaded when identity material is first made: the adapter is also loaded for
 * its analyzers alone (the `meshstage` CLI, which never plans and leaves the library out of its
 * bundle).
 */
let x509Module: typeof X509 | undefined;
function loadX509(): typeof X509 {
  if (!x509Module) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    x509Module = require('@peculiar/x509') as typeof X509;
    x509Module.cryptoProvider.set(webcrypto as unknown as Crypto);
  }
  return x509Module;
}

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY = 24 * 60 * 60 * 1000;

/** The Secret holding the trust anchor (kubernetes.io/tls), named as Linkerd's cert-manager guide names it. */
export const TRUST_ANCHOR_SECRET = 'linkerd-trust-anchor';

/** Subject names of the trust anchor and the issuer for a trust domain. */
export function identityNames(trustDomain = 'cluster.local') {
  return {
    anchor: `root.linkerd.${trustDomain}`,
    issuer: `identity.linkerd.${trustDomain}`,
  };
}

/** A certificate and its private key, both PEM. */
export interface CertifiedKey {
  certPEM: string;
  /** SEC1 `EC PRIVATE KEY` PEM, as Linkerd reads `tls.key`. Never log or store it. */
  keyPEM: string;
}

async function exportKey(key: CryptoKey): Promise<string> {
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', key));
  return createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' })
    .export({ type: 'sec1', format: 'pem' })
    .toString();
}

async function importKey(keyPEM: string): Promise<CryptoKey> {
  const pkcs8 = createPrivateKey(keyPEM).export({
    type: 'pkcs8',
    format: 'der',
  });
  return (await webcrypto.subtle.importKey('pkcs8', pkcs8, ALG, true, [
    'sign',
  ])) as unknown as CryptoKey;
}

const serial = () => {
  const bytes = randomBytes(16);
  bytes[0] &= 0x7f; // positive
  return bytes.toString('hex');
};

async function caCertificate(options: {
  subject: string;
  issuer: string;
  publicKey: CryptoKey;
  signingKey: CryptoKey;
  issuerPublicKey: CryptoKey;
  now: Date;
  days: number;
  pathLength: number;
}): Promise<X509.X509Certificate> {
  const x509 = loadX509();
  return x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: `CN=${options.subject}`,
    issuer: `CN=${options.issuer}`,
    // A little slack for clocks behind ours, as step does.
    notBefore: new Date(options.now.getTime() - 5 * 60 * 1000),
    notAfter: new Date(options.now.getTime() + options.days * DAY),
    signingAlgorithm: ALG,
    publicKey: options.publicKey,
    signingKey: options.signingKey,
    extensions: [
      new x509.BasicConstraintsExtension(true, options.pathLength, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create(options.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(
        options.issuerPublicKey,
      ),
    ],
  });
}

/** A new self-signed trust anchor (10 years by default). */
export async function createTrustAnchor(
  options: { now?: Date; days?: number; trustDomain?: string } = {},
): Promise<CertifiedKey> {
  const keys = (await webcrypto.subtle.generateKey(ALG, true, [
    'sign',
    'verify',
  ])) as CryptoKeyPair;
  const name = identityNames(options.trustDomain).anchor;
  const cert = await caCertificate({
    subject: name,
    issuer: name,
    publicKey: keys.publicKey,
    signingKey: keys.privateKey,
    issuerPublicKey: keys.publicKey,
    now: options.now ?? new Date(),
    days: options.days ?? 3650,
    pathLength: 1,
  });
  return {
    certPEM: cert.toString('pem'),
    keyPEM: await exportKey(keys.privateKey),
  };
}

/** A new issuer signed by the trust anchor (1 year by default). */
export async function createIssuer(
  anchor: CertifiedKey,
  options: { now?: Date; days?: number; trustDomain?: string } = {},
): Promise<CertifiedKey> {
  const keys = (await webcrypto.subtle.generateKey(ALG, true, [
    'sign',
    'verify',
  ])) as CryptoKeyPair;
  const anchorCert = new (loadX509().X509Certificate)(anchor.certPEM);
  const names = identityNames(options.trustDomain);
  const cert = await caCertificate({
    subject: names.issuer,
    issuer: anchorCert.subject.replace(/^CN=/, '') || names.anchor,
    publicKey: keys.publicKey,
    signingKey: await importKey(anchor.keyPEM),
    issuerPublicKey: await anchorCert.publicKey.export(ALG, ['verify']),
    now: options.now ?? new Date(),
    days: options.days ?? 365,
    pathLength: 0,
  });
  return {
    certPEM: cert.toString('pem'),
    keyPEM: await exportKey(keys.privateKey),
  };
}

function tlsSecret(name: string): PlanObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name,
      namespace: CONVENTIONAL_NAMESPACE,
      labels: {
        'linkerd.io/control-plane-ns': CONVENTIONAL_NAMESPACE,
        'app.kubernetes.io/managed-by': 'meshstage',
      },
    },
    type: 'kubernetes.io/tls',
  };
}

/**
 * The Secret Linkerd's identity controller reads with `identity.issuer.scheme=kubernetes.io/tls`:
 * `linkerd-identity-issuer` with `tls.crt` (the issuer), `ca.crt` (the trust anchor) and
 * `tls.key` (kept in `secrets`, shown as `<redacted>`).
 */
export function issuerSecret(
  issuer: CertifiedKey,
  anchorCertPEM: string,
  secrets: PlanSecrets,
): PlanObject {
  return plannedSecret(tlsSecret(ISSUER_SECRET), secrets, {
    public: { 'tls.crt': issuer.certPEM, 'ca.crt': anchorCertPEM },
    private: { 'tls.key': issuer.keyPEM },
  });
}

/**
 * The trust anchor with its key, kept in the control plane's namespace (as Linkerd's cert-manager
 * setup keeps it) so that MeshStage can sign the next issuer when it rotates this one.
 */
export function trustAnchorSecret(
  anchor: CertifiedKey,
  secrets: PlanSecrets,
): PlanObject {
  return plannedSecret(tlsSecret(TRUST_ANCHOR_SECRET), secrets, {
    public: { 'tls.crt': anchor.certPEM },
    private: { 'tls.key': anchor.keyPEM },
  });
}

/** Decodes one key of a Secret's `data` (base64). */
export function secretValue(
  secret: { data?: Record<string, string> } | undefined,
  key: string,
): string | undefined {
  const v = secret?.data?.[key];
  return v === undefined
    ? undefined
    : Buffer.from(v, 'base64').toString('utf8');
}

/**
 * A webhook's serving certificate as Linkerd's chart makes one (`genSelfSignedCert` per webhook
 * Service): self-signed ECDSA P-256, subject and DNS name `<service>.<namespace>.svc`, server
 * auth; the webhook configuration's `caBundle` is the certificate itself. One year by default.
 */
export async function createServingCertificate(
  service: string,
  options: { now?: Date; days?: number; namespace?: string } = {},
): Promise<CertifiedKey> {
  const x509 = loadX509();
  const keys = (await webcrypto.subtle.generateKey(ALG, true, [
    'sign',
    'verify',
  ])) as CryptoKeyPair;
  const host = `${service}.${options.namespace ?? CONVENTIONAL_NAMESPACE}.svc`;
  const now = options.now ?? new Date();
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: `CN=${host}`,
    issuer: `CN=${host}`,
    notBefore: new Date(now.getTime() - 5 * 60 * 1000),
    notAfter: new Date(now.getTime() + (options.days ?? 365) * DAY),
    signingAlgorithm: ALG,
    publicKey: keys.publicKey,
    signingKey: keys.privateKey,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.digitalSignature |
          x509.KeyUsageFlags.keyEncipherment,
        true,
      ),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension([{ type: 'dns', value: host }]),
    ],
  });
  return {
    certPEM: cert.toString('pem'),
    keyPEM: await exportKey(keys.privateKey),
  };
}

/** The Secret a webhook Service's pods serve from: `<service>-k8s-tls`, as Linkerd names it. */
export const servingSecretName = (service: string) => `${service}-k8s-tls`;

/**
 * Serving certificates for the built-in renderer's admission webhooks (the chart makes its own):
 * for each webhook Service of the MutatingWebhookConfigurations and
 * ValidatingWebhookConfigurations in `objects`, a `<service>-k8s-tls` Secret (`tls.crt`, and
 * `tls.key` kept in `secrets`, `<redacted>` in the plan) placed right after the namespace, and the
 * certificate as the webhooks' `caBundle`.
 */
export async function withServingCertificates(
  objects: PlanObject[],
  secrets: PlanSecrets,
  options: { now?: Date } = {},
): Promise<PlanObject[]> {
  type Webhook = {
    clientConfig?: {
      service?: { name: string; namespace?: string };
      caBundle?: string;
    };
  };
  const services = new Set<string>();
  for (const o of objects) {
    if (!/^(Mutating|Validating)WebhookConfiguration$/.test(o.kind)) continue;
    for (const w of (o as { webhooks?: Webhook[] }).webhooks ?? []) {
      const service = w.clientConfig?.service;
      if (
        service &&
        (service.namespace ?? CONVENTIONAL_NAMESPACE) === CONVENTIONAL_NAMESPACE
      ) {
        services.add(service.name);
      }
    }
  }
  const certs = new Map<string, CertifiedKey>();
  for (const service of [...services].sort()) {
    certs.set(service, await createServingCertificate(service, options));
  }
  const secretObjects = [...certs].map(([service, cert]) =>
    plannedSecret(tlsSecret(servingSecretName(service)), secrets, {
      public: { 'tls.crt': cert.certPEM },
      private: { 'tls.key': cert.keyPEM },
    }),
  );
  const patched = objects.map(o => {
    if (!/^(Mutating|Validating)WebhookConfiguration$/.test(o.kind)) return o;
    const webhooks = ((o as { webhooks?: Webhook[] }).webhooks ?? []).map(w => {
      const cert =
        w.clientConfig?.service && certs.get(w.clientConfig.service.name);
      return cert
        ? {
            ...w,
            clientConfig: {
              ...w.clientConfig,
              caBundle: Buffer.from(cert.certPEM, 'utf8').toString('base64'),
            },
          }
        : w;
    });
    return { ...o, webhooks } as PlanObject;
  });
  const at = patched.findIndex(o => o.kind === 'Namespace') + 1;
  return [...patched.slice(0, at), ...secretObjects, ...patched.slice(at)];
}
