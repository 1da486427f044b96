/**
 * The names a pod uses for a Service, turned into `--resolve` pins onto the
 * Service's loopback proxy. Pure.
 */

/** A Service port with a loopback proxy. */
export interface ProxiedPort {
  namespace: string;
  service: string;
  clusterIP?: string;
  port: number;
  /** Where the proxy listens. */
  address: string;
  proxyPort: number;
}

/**
 * Pins (`host:port:addr:port`) for every form of each Service's name a pod
 * in `namespace` can use: `svc` (same namespace only), `svc.ns`,
 * `svc.ns.svc`, `svc.ns.svc.cluster.local`, and the ClusterIP.
 */
export function resolvePins(ports: ProxiedPort[], namespace: string): string[] {
  const out: string[] = [];
  for (const p of ports) {
    const hosts = [
      ...(p.namespace === namespace ? [p.service] : []),
      `${p.service}.${p.namespace}`,
      `${p.service}.${p.namespace}.svc`,
      `${p.service}.${p.namespace}.svc.cluster.local`,
      ...(p.clusterIP && p.clusterIP !== 'None' ? [p.clusterIP] : []),
    ];
    for (const h of hosts)
      out.push(`${h}:${p.port}:${p.address}:${p.proxyPort}`);
  }
  return out;
}
