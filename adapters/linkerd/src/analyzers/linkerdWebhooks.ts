import type {
  AnalyzerInput,
  KubeObject,
  Snapshot,
} from '@meshstage/plugin-mesh-node';
import { pemCertificates } from './certificates';
import { CertificateSource, secretEntries } from './linkerdIdentity';

/**
 * Linkerd's admission webhooks as `linkerd check` verifies their TLS: each webhook configuration's
 * `caBundle`, and the serving certificate in the Secret its Service's pods serve from.
 */

const ADMISSION = 'admissionregistration.k8s.io/v1';

/** The inputs the webhook rules read (besides Secrets). */
export const WEBHOOK_INPUTS: AnalyzerInput[] = [
  { apiVersion: ADMISSION, kind: 'MutatingWebhookConfiguration' },
  { apiVersion: ADMISSION, kind: 'ValidatingWebhookConfiguration' },
  { apiVersion: 'v1', kind: 'Secret' },
];

/** The webhooks `linkerd check` verifies: configuration, its kind, the Service serving it. */
const WEBHOOKS = [
  {
    kind: 'MutatingWebhookConfiguration',
    name: 'linkerd-proxy-injector-webhook-config',
    service: 'linkerd-proxy-injector',
  },
  {
    kind: 'ValidatingWebhookConfiguration',
    name: 'linkerd-sp-validator-webhook-config',
    service: 'linkerd-sp-validator',
  },
  {
    kind: 'ValidatingWebhookConfiguration',
    name: 'linkerd-policy-validator-webhook-config',
    service: 'linkerd-policy-validator',
  },
] as const;

/** One Linkerd webhook with the certificates that secure it. */
export interface LinkerdWebhook {
  configuration: KubeObject;
  service: string;
  namespace: string;
  /** The DNS name the API server calls it by and its certificate must carry. */
  host: string;
  /** The configuration's first webhook's `caBundle`, when set. */
  caBundle?: CertificateSource;
  /**
   * The serving certificate (and any chain after it): `tls.crt` of `<service>-k8s-tls`, else
   * `crt.pem` of the older `<service>-tls`, when that Secret is in view.
   */
  serving?: CertificateSource;
}

/** Linkerd's webhooks in the snapshot, with their certificates as far as they are in view. */
export function linkerdWebhooks(snapshot: Snapshot): LinkerdWebhook[] {
  return WEBHOOKS.flatMap(w => {
    const configuration = snapshot.get(ADMISSION, w.kind, undefined, w.name);
    const first = (configuration as { webhooks?: any[] } | undefined)
      ?.webhooks?.[0];
    const namespace = first?.clientConfig?.service?.namespace;
    if (!configuration || typeof namespace !== 'string') return [];
    const bundle = first.clientConfig.caBundle;
    const caBundle: CertificateSource | undefined =
      typeof bundle === 'string' && bundle
        ? {
            object: configuration,
            path: '/webhooks/0/clientConfig/caBundle',
            role: 'webhook CA bundle certificate',
            certs: pemCertificates(
              Buffer.from(bundle, 'base64').toString('utf8'),
            ),
          }
        : undefined;
    let serving: CertificateSource | undefined;
    for (const [name, key] of [
      [`${w.service}-k8s-tls`, 'tls.crt'],
      [`${w.service}-tls`, 'crt.pem'],
    ]) {
      const secret = snapshot.get('v1', 'Secret', namespace, name);
      const entry = secret && secretEntries(secret)[key];
      if (secret && entry?.text) {
        serving = {
          object: secret,
          path: entry.path,
          role: 'webhook serving certificate',
          certs: pemCertificates(entry.text),
        };
        break;
      }
    }
    return [
      {
        configuration,
        service: w.service,
        namespace,
        host: `${w.service}.${namespace}.svc`,
        caBundle,
        serving,
      },
    ];
  });
}
