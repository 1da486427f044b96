import type { Analyzer } from '@meshstage/plugin-mesh-node';
import { findingFor } from '@meshstage/plugin-mesh-node';
import { inputs, IstioCode } from './common';
import { gatewayCredentialRefs } from './gatewayCredentialRefs';

const CODE: IstioCode = {
  code: 'MS0204',
  name: 'GatewayCredentialNotFound',
  severity: 'error',
  summary:
    "A Gateway server's TLS `credentialName` names a Secret that does not exist where the gateway runs.",
  help: 'Create the TLS Secret in the namespace of the gateway workload (e.g. `istio-ingressgateway` in `istio-system`), or fix the name.',
  istioCode: 'IST0101',
};

/**
 * MS0204 (IST0101): TLS credentials of Gateway servers that are missing. The Secret must be in the
 * namespace of the gateway's workload, which is not necessarily the Gateway's own (see
 * `gatewayWorkloadNamespaces`: pods, pod templates, else istioctl's default ingress gateway in
 * `istio-system` for files). When no gateway workload is found there is nowhere to look: as
 * istioctl, the selector is what is reported then (MS0209), not the credential.
 * @public
 */
export const gatewaySecretsAnalyzer: Analyzer = {
  id: 'istio.gateway-secrets',
  description: CODE.summary,
  inputs: [
    inputs.gateway,
    inputs.secret,
    inputs.pod,
    { apiVersion: 'apps/v1', kind: 'Deployment' },
  ],
  codes: [CODE],
  analyze(snapshot, ctx) {
    return gatewayCredentialRefs(snapshot, ctx).flatMap(ref =>
      ref.namespaces.some(n => snapshot.get('v1', 'Secret', n, ref.secretName))
        ? []
        : [
            findingFor(
              CODE,
              ref.gateway,
              `/spec/servers/${ref.server}/tls/credentialName`,
              `Referenced credentialName not found: Secret "${
                ref.secretName
              }" is not in namespace ${ref.namespaces
                .map(n => `"${n}"`)
                .join(' or ')}, where the gateway workload runs.`,
            ),
          ],
    );
  },
};
