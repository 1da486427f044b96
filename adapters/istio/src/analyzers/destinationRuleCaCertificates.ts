import type { Finding } from '@meshstage/plugin-mesh-common';
import type { Analyzer } from '@meshstage/plugin-mesh-node';
import { findingFor } from '@meshstage/plugin-mesh-node';
import { arr, inputs, IstioCode, NETWORKING, specOf } from './common';

const DESTINATION: IstioCode = {
  code: 'MS0229',
  name: 'NoServerCertificateVerificationDestinationLevel',
  severity: 'error',
  summary:
    "A DestinationRule originates TLS (`SIMPLE` or `MUTUAL`) without `caCertificates`, so the server's certificate is not verified.",
  help: 'Set `trafficPolicy.tls.caCertificates` to the CA bundle that signs the server certificate (or, for a rule with a workloadSelector, a `credentialName` whose Secret carries `ca.crt`).',
  istioCode: 'IST0128',
};
const PORT: IstioCode = {
  code: 'MS0230',
  name: 'NoServerCertificateVerificationPortLevel',
  severity: 'warning',
  summary:
    "A DestinationRule's port-level TLS settings originate TLS (`SIMPLE` or `MUTUAL`) without `caCertificates`, so the server's certificate is not verified on that port.",
  help: 'Set `caCertificates` in the `portLevelSettings[].tls` entry (or, for a rule with a workloadSelector, a `credentialName` whose Secret carries `ca.crt`).',
  istioCode: 'IST0129',
};

const ORIGINATES = new Set(['SIMPLE', 'MUTUAL']);

/** Whether TLS settings originate TLS without verifying the server, as istioctl decides it. */
function unverified(tls: any, hasWorkloadSelector: boolean): boolean {
  if (!tls || typeof tls !== 'object' || !ORIGINATES.has(tls.mode))
    return false;
  if (typeof tls.caCertificates === 'string' && tls.caCertificates)
    return false;
  // A credentialName may carry the CA, but istioctl only trusts that for a workload-scoped rule.
  return !(
    typeof tls.credentialName === 'string' &&
    tls.credentialName &&
    hasWorkloadSelector
  );
}

/**
 * MS0229 (IST0128) and MS0230 (IST0129): DestinationRules whose `trafficPolicy.tls` (destination
 * level) or `trafficPolicy.portLevelSettings[].tls` is `SIMPLE` or `MUTUAL` without
 * `caCertificates`, unless the rule has a `workloadSelector` and the settings name a
 * `credentialName`. Subsets' traffic policies are not checked (istioctl does not either).
 * @public
 */
export const destinationRuleCaCertificatesAnalyzer: Analyzer = {
  id: 'istio.destinationrule-ca-certificates',
  description: DESTINATION.summary,
  inputs: [inputs.destinationRule],
  codes: [DESTINATION, PORT],
  analyze(snapshot) {
    const out: Finding[] = [];
    for (const dr of snapshot.list(NETWORKING, 'DestinationRule')) {
      const spec = specOf(dr);
      const scoped = Boolean(spec.workloadSelector);
      const where = `${dr.metadata.namespace ?? 'default'}/${dr.metadata.name}`;
      const tls = spec.trafficPolicy?.tls;
      if (unverified(tls, scoped)) {
        out.push(
          findingFor(
            DESTINATION,
            dr,
            '/spec/trafficPolicy/tls/mode',
            `DestinationRule ${where} in TLS mode ${tls.mode} for host ${spec.host} has no caCertificates: the server certificate is not verified.`,
          ),
        );
      }
      arr(spec.trafficPolicy?.portLevelSettings).forEach((p: any, i) => {
        if (!unverified(p?.tls, scoped)) return;
        out.push(
          findingFor(
            PORT,
            dr,
            `/spec/trafficPolicy/portLevelSettings/${i}/tls/mode`,
            `DestinationRule ${where} in TLS mode ${p.tls.mode} for host ${
              spec.host
            } on port ${
              p?.port?.number ?? '?'
            } has no caCertificates: the server certificate is not verified.`,
          ),
        );
      });
    }
    return out;
  },
};
