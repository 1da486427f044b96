import type { Analyzer } from '@meshstage/plugin-mesh-node';
import { findingFor } from '@meshstage/plugin-mesh-node';
import {
  arr,
  gatewayWorkloadNamespaces,
  inputs,
  IstioCode,
  NETWORKING,
  specOf,
} from './common';

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
    return snapshot.list(NETWORKING, 'Gateway').flatMap(gw => {
      const spec = specOf(gw);
      const selector = spec.selector as Record<string, string> | undefined;
      const namespaces = gatewayWorkloadNamespaces(
        snapshot,
        selector,
        ctx.includesCluster,
      );
      if (namespaces.length === 0) return [];
      return arr(spec.servers).flatMap((server: any, i: number) => {
        const name = server?.tls?.credentialName;
        if (typeof name !== 'string' || !name) return [];
        // `<ns>/<name>` names the namespace explicitly (Istio 1.22+ allows it with permission).
        const [ns, secret] = name.includes('/')
          ? name.split('/', 2)
          : [undefined, name];
        const where = ns ? [ns] : namespaces;
        if (where.some(n => snapshot.get('v1', 'Secret', n, secret))) return [];
        return [
          findingFor(
            CODE,
            gw,
            `/spec/servers/${i}/tls/credentialName`,
            `Referenced credentialName not found: Secret "${secret}" is not in namespace ${where
              .map(n => `"${n}"`)
              .join(' or ')}, where the gateway workload runs.`,
          ),
        ];
      });
    });
  },
};
