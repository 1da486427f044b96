import type { Analyzer } from '@meshstage/plugin-mesh-node';
import { findingFor } from '@meshstage/plugin-mesh-node';
import { describeCert, signedBy } from './certificates';
import { LinkerdCode } from './common';
import { parsed } from './linkerdIdentity';
import { linkerdWebhooks, WEBHOOK_INPUTS } from './linkerdWebhooks';

const CODE: LinkerdCode = {
  code: 'MS0315',
  name: 'WebhookCertificateNotTrusted',
  severity: 'error',
  summary:
    "A Linkerd admission webhook's serving certificate is not signed by the CA bundle of its webhook configuration, or is not for the webhook's Service name, so the API server cannot call the webhook (injection or policy validation fails).",
  help: "Put the certificate's CA in the webhook configuration's `caBundle` (cert-manager's CA injector does it), or reissue the certificate from that CA for `<service>.<namespace>.svc`.",
};

/**
 * MS0315: `linkerd check`'s `<webhook> webhook has valid cert` beyond validity periods (MS0312):
 * the serving certificate must chain to the configuration's `caBundle` (directly, or through the
 * certificates after it in the Secret) and carry the DNS name `<service>.<namespace>.svc`.
 * Checked when both the configuration's `caBundle` and the Secret are in view.
 * @public
 */
export const webhookCertificatesAnalyzer: Analyzer = {
  id: 'linkerd.webhook-certificates',
  description: CODE.summary,
  inputs: WEBHOOK_INPUTS,
  codes: [CODE],
  analyze(snapshot) {
    return linkerdWebhooks(snapshot).flatMap(w => {
      const roots = parsed(w.caBundle);
      const [cert, ...chain] = parsed(w.serving);
      if (!cert || !roots.length) return [];
      const secret = w.serving!.object;
      const config = `${w.configuration.kind} "${w.configuration.metadata.name}"`;
      const trusted =
        roots.some(r => signedBy(cert, r)) ||
        chain.some(i => signedBy(cert, i) && roots.some(r => signedBy(i, r)));
      const problems: string[] = [];
      if (!trusted)
        problems.push(
          `The serving certificate ${describeCert(cert)} in Secret "${
            secret.metadata.name
          }" is not signed by the caBundle of ${config}.`,
        );
      // As Go's x509 verification (and the API server) does: the DNS names, never the subject.
      if (!cert.checkHost(w.host, { subject: 'never' }))
        problems.push(
          `The serving certificate ${describeCert(cert)} in Secret "${
            secret.metadata.name
          }" is not valid for "${w.host}", the name ${config} calls.`,
        );
      return problems.map(message =>
        findingFor(CODE, secret, w.serving!.path, message),
      );
    });
  },
};
