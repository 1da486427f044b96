import type { X509Certificate } from 'node:crypto';
import type {
  AnalyzerInput,
  KubeObject,
  Snapshot,
} from '@meshstage/plugin-mesh-node';
import { pointerSegment } from '@meshstage/plugin-mesh-node';
import { CONFIG_MAP } from '../constants';
import { pemCertificates, PemCertificate } from './certificates';
import { trustAnchorsText, valuesText } from './linkerdConfig';

/**
 * Linkerd's identity material as `linkerd check` reads it, per control-plane namespace: the
 * issuer certificate and key (`linkerd-identity-issuer` Secret) and the trust anchors, and the
 * serving certificates of Linkerd's admission webhooks with the `caBundle` the API server checks
 * them against. Everything is read from the snapshot (a cluster's objects, or files).
 */

export const ISSUER_SECRET = 'linkerd-identity-issuer';
export const TRUST_ROOTS = 'linkerd-identity-trust-roots';
export const IDENTITY_DEPLOYMENT = 'linkerd-identity';
const LINKERD_SCHEME = 'linkerd.io/tls';
const KUBERNETES_SCHEME = 'kubernetes.io/tls';

/** The inputs the identity rules read. */
export const IDENTITY_INPUTS: AnalyzerInput[] = [
  { apiVersion: 'v1', kind: 'Secret' },
  { apiVersion: 'v1', kind: 'ConfigMap' },
  { apiVersion: 'apps/v1', kind: 'Deployment' },
];

/** A value of a Secret (`data` decoded, or `stringData`) and its JSON pointer. */
export interface SecretEntry {
  text: string;
  path: string;
}

/** A Secret's values by key, `stringData` over `data` as the API server merges them. */
export function secretEntries(secret: KubeObject): Record<string, SecretEntry> {
  const s = secret as {
    data?: Record<string, unknown>;
    stringData?: Record<string, unknown>;
  };
  const out: Record<string, SecretEntry> = {};
  for (const [field, decode] of [
    ['data', (v: string) => Buffer.from(v, 'base64').toString('utf8')],
    ['stringData', (v: string) => v],
  ] as const) {
    for (const [k, v] of Object.entries(s[field] ?? {}))
      if (typeof v === 'string')
        out[k] = {
          text: decode(v),
          path: `/${field}/${pointerSegment(k)}`,
        };
  }
  return out;
}

/** Certificates read from one field of one object. */
export interface CertificateSource {
  object: KubeObject;
  path: string;
  /** What they are, in messages: `trust anchor`, `issuer certificate`. */
  role: string;
  certs: PemCertificate[];
}

/** The parsed certificates of a source. */
export function parsed(
  source: CertificateSource | undefined,
): X509Certificate[] {
  return (source?.certs ?? []).flatMap(c => (c.cert ? [c.cert] : []));
}

/** The identity material of one Linkerd control-plane namespace. */
export interface IdentityMaterial {
  namespace: string;
  /** The `linkerd-identity` Deployment, when in view. */
  deployment?: KubeObject;
  /** `linkerd.io/tls` (keys `crt.pem`, `key.pem`) or `kubernetes.io/tls` (`tls.crt`, `tls.key`, `ca.crt`). */
  scheme: string;
  issuerSecret?: KubeObject;
  /** The issuer certificate (first block of its key), when the Secret has the key. */
  issuer?: CertificateSource;
  /** The issuer's private key, when the Secret has the key. */
  issuerKey?: SecretEntry;
  /** The Secret keys the scheme requires and the Secret lacks (or has empty). */
  missingKeys: string[];
  /**
   * The trust anchors the identity controller verifies the issuer against: the
   * `linkerd-identity-trust-roots` ConfigMap (`ca-bundle.crt`, what the controller mounts), else
   * `ca.crt` of a `kubernetes.io/tls` issuer Secret, else `identityTrustAnchorsPEM` of
   * `linkerd-config`.
   */
  anchors?: CertificateSource;
}

function identityScheme(
  deployment: KubeObject | undefined,
): string | undefined {
  const containers = (deployment?.spec as any)?.template?.spec?.containers;
  for (const c of Array.isArray(containers) ? containers : []) {
    for (const a of Array.isArray(c?.args) ? c.args : []) {
      const m = /^--?identity-scheme=(.+)$/.exec(String(a));
      if (m) return m[1];
    }
  }
  return undefined;
}

function configMapSource(
  cm: KubeObject | undefined,
  key: string,
  role: string,
): CertificateSource | undefined {
  const text = (cm as { data?: Record<string, unknown> } | undefined)?.data?.[
    key
  ];
  if (!cm || typeof text !== 'string') return undefined;
  return {
    object: cm,
    path: `/data/${pointerSegment(key)}`,
    role,
    certs: pemCertificates(text),
  };
}

function materialOf(snapshot: Snapshot, namespace: string): IdentityMaterial {
  const secret = snapshot.get('v1', 'Secret', namespace, ISSUER_SECRET);
  const deployment = snapshot.get(
    'apps/v1',
    'Deployment',
    namespace,
    IDENTITY_DEPLOYMENT,
  );
  const entries = secret ? secretEntries(secret) : {};
  const scheme =
    identityScheme(deployment) ??
    (entries['crt.pem'] || !entries['tls.crt']
      ? LINKERD_SCHEME
      : KUBERNETES_SCHEME);
  const [crtKey, keyKey] =
    scheme === LINKERD_SCHEME ? ['crt.pem', 'key.pem'] : ['tls.crt', 'tls.key'];
  const required =
    scheme === LINKERD_SCHEME ? [crtKey, keyKey] : [crtKey, keyKey, 'ca.crt'];
  const crt = entries[crtKey];
  const issuer: CertificateSource | undefined =
    secret && crt?.text
      ? {
          object: secret,
          path: crt.path,
          role: 'issuer certificate',
          certs: pemCertificates(crt.text).slice(0, 1),
        }
      : undefined;
  const roots = snapshot.get('v1', 'ConfigMap', namespace, TRUST_ROOTS);
  const config = snapshot.get('v1', 'ConfigMap', namespace, CONFIG_MAP);
  const ca = entries['ca.crt'];
  let anchors = configMapSource(roots, 'ca-bundle.crt', 'trust anchor');
  if (!anchors && scheme === KUBERNETES_SCHEME && secret && ca?.text)
    anchors = {
      object: secret,
      path: ca.path,
      role: 'trust anchor',
      certs: pemCertificates(ca.text),
    };
  if (!anchors && config && valuesText(config))
    anchors = {
      object: config,
      path: '/data/values',
      role: 'trust anchor',
      certs: pemCertificates(trustAnchorsText(valuesText(config))),
    };
  return {
    namespace,
    deployment,
    scheme,
    issuerSecret: secret,
    issuer,
    issuerKey: entries[keyKey]?.text ? entries[keyKey] : undefined,
    missingKeys: secret ? required.filter(k => !entries[k]?.text) : [],
    anchors,
  };
}

const cache = new WeakMap<Snapshot, IdentityMaterial[]>();

/**
 * The identity material of every namespace holding a Linkerd identity Secret, trust-roots
 * ConfigMap, `linkerd-config` or `linkerd-identity` Deployment, computed once per snapshot.
 */
export function identityMaterials(snapshot: Snapshot): IdentityMaterial[] {
  let out = cache.get(snapshot);
  if (!out) {
    const namespaces = new Set<string>();
    const add = (o: KubeObject | undefined) =>
      o?.metadata.namespace && namespaces.add(o.metadata.namespace);
    for (const s of snapshot.list('v1', 'Secret'))
      if (s.metadata.name === ISSUER_SECRET) add(s);
    for (const c of snapshot.list('v1', 'ConfigMap'))
      if (c.metadata.name === TRUST_ROOTS || c.metadata.name === CONFIG_MAP)
        add(c);
    for (const d of snapshot.list('apps/v1', 'Deployment'))
      if (d.metadata.name === IDENTITY_DEPLOYMENT) add(d);
    out = [...namespaces].sort().map(ns => materialOf(snapshot, ns));
    cache.set(snapshot, out);
  }
  return out;
}
