import type { Finding } from '@meshstage/plugin-mesh-common';
import type { Analyzer } from '@meshstage/plugin-mesh-node';
import { findingFor } from '@meshstage/plugin-mesh-node';
import {
  describeCert,
  EXPIRY_WARNING_DAYS,
  expiresSoon,
  validityProblem,
} from './certificates';
import { LinkerdCode } from './common';
import {
  CertificateSource,
  IDENTITY_INPUTS,
  identityMaterials,
} from './linkerdIdentity';
import { linkerdWebhooks, WEBHOOK_INPUTS } from './linkerdWebhooks';

const EXPIRED: LinkerdCode = {
  code: 'MS0312',
  name: 'CertificateNotValid',
  severity: 'error',
  summary:
    "A Linkerd trust anchor, identity issuer, webhook serving certificate or webhook CA bundle certificate has expired or is not valid yet, so Linkerd's identity or admission webhooks fail.",
  help: 'Rotate the certificate (Linkerd docs: "Manually Rotating Control Plane TLS Credentials" / "Automatically Rotating Webhook TLS Credentials"), or fix the clock of the machine that issued it.',
};
const EXPIRING: LinkerdCode = {
  code: 'MS0313',
  name: 'CertificateExpiringSoon',
  severity: 'warning',
  summary: `A Linkerd trust anchor, identity issuer or webhook serving certificate expires within ${EXPIRY_WARNING_DAYS} days.`,
  help: 'Rotate it before it expires (cert-manager can rotate the issuer and the webhook certificates automatically).',
};

/** Every certificate source, with whether `linkerd check` warns about its expiry too. */
function sources(
  snapshot: Parameters<Analyzer['analyze']>[0],
): Array<{ source: CertificateSource; soon: boolean }> {
  const out: Array<{ source: CertificateSource; soon: boolean }> = [];
  for (const m of identityMaterials(snapshot)) {
    if (m.anchors) out.push({ source: m.anchors, soon: true });
    if (m.issuer) out.push({ source: m.issuer, soon: true });
  }
  for (const w of linkerdWebhooks(snapshot)) {
    if (w.caBundle) out.push({ source: w.caBundle, soon: false });
    if (w.serving) out.push({ source: w.serving, soon: true });
  }
  return out;
}

/**
 * MS0312, MS0313: validity periods of Linkerd's certificates against the time the caller gives
 * (none checked without one), as `linkerd check` checks them: the trust anchors and the issuer
 * (`... within their validity period`, `... valid for at least 60 days`), the webhook serving
 * certificates and the webhook configurations' CA bundles (`... webhook has valid cert`, `... cert
 * is valid for at least 60 days`; a CA bundle's expiry is only an error, as there).
 * @public
 */
export const certificateValidityAnalyzer: Analyzer = {
  id: 'linkerd.certificate-validity',
  description:
    "Validity periods of Linkerd's identity and webhook certificates.",
  inputs: [...IDENTITY_INPUTS, ...WEBHOOK_INPUTS],
  codes: [EXPIRED, EXPIRING],
  analyze(snapshot, ctx) {
    const now = ctx.now;
    if (now === undefined) return [];
    const out: Finding[] = [];
    const seen = new Set<string>();
    for (const { source, soon } of sources(snapshot)) {
      const where = `${source.object.kind} "${
        source.object.metadata.namespace ?? ''
      }${source.object.metadata.namespace ? '/' : ''}${
        source.object.metadata.name
      }"`;
      const key = `${where}${source.path}`;
      if (seen.has(key)) continue; // one Secret may serve as issuer and anchors
      seen.add(key);
      for (const { cert } of source.certs) {
        if (!cert) continue;
        const what = `The ${source.role} ${describeCert(cert)} in ${where}`;
        const problem = validityProblem(cert, now);
        if (problem) {
          out.push(
            findingFor(
              EXPIRED,
              source.object,
              source.path,
              `${what} ${problem}.`,
            ),
          );
          continue;
        }
        const expiry = soon && expiresSoon(cert, now);
        if (expiry)
          out.push(
            findingFor(
              EXPIRING,
              source.object,
              source.path,
              `${what} expires on ${expiry}, within ${EXPIRY_WARNING_DAYS} days.`,
            ),
          );
      }
    }
    return out;
  },
};
