import type {
  AnalyzerContext,
  KubeObject,
  Snapshot,
} from '@meshstage/plugin-mesh-node';
import { arr, gatewayWorkloadNamespaces, NETWORKING, specOf } from './common';

/** A Gateway server's TLS `credentialName` and where Istio looks for its Secret. */
export interface GatewayCredentialRef {
  gateway: KubeObject;
  /** Index of the server in `spec.servers`. */
  server: number;
  secretName: string;
  /** `<ns>/<name>` names its namespace; otherwise the namespaces the gateway's workload runs in. */
  namespaces: string[];
}

/**
 * Every Gateway server's TLS credential, with the namespaces its Secret must be in (see
 * `gatewayWorkloadNamespaces`). Gateways whose workload is found nowhere have none: as istioctl,
 * the selector is what is reported then (MS0209), not the credential.
 */
export function gatewayCredentialRefs(
  snapshot: Snapshot,
  ctx: Pick<AnalyzerContext, 'includesCluster'>,
): GatewayCredentialRef[] {
  return snapshot.list(NETWORKING, 'Gateway').flatMap(gateway => {
    const spec = specOf(gateway);
    const workloadNamespaces = gatewayWorkloadNamespaces(
      snapshot,
      spec.selector as Record<string, string> | undefined,
      ctx.includesCluster,
    );
    if (workloadNamespaces.length === 0) return [];
    return arr(spec.servers).flatMap((s: any, server: number) => {
      const name = s?.tls?.credentialName;
      if (typeof name !== 'string' || !name) return [];
      // `<ns>/<name>` names the namespace explicitly (Istio 1.22+ allows it with permission).
      const [ns, secretName] = name.includes('/')
        ? name.split('/', 2)
        : [undefined, name];
      return [
        {
          gateway,
          server,
          secretName,
          namespaces: ns ? [ns] : workloadNamespaces,
        },
      ];
    });
  });
}
