import type { Finding } from '@meshstage/plugin-mesh-common';
import type { Analyzer, KubeObject } from '@meshstage/plugin-mesh-node';
import { findingFor, selectorMatches } from '@meshstage/plugin-mesh-node';
import {
  arr,
  assumesDefaultIngressGateway,
  DEFAULT_INGRESS_GATEWAY,
  inputs,
  IstioCode,
  NETWORKING,
  specOf,
} from './common';

const CODE: IstioCode = {
  code: 'MS0228',
  name: 'ConflictingGateways',
  severity: 'error',
  summary:
    'Two Gateways for the same gateway workload declare the same host on the same port; only one of them takes effect.',
  help: 'Declare each host once per port and gateway workload: merge the servers into one Gateway, or use different hosts or ports.',
  istioCode: 'IST0145',
};

/** A selector as Kubernetes prints it: `k=v` pairs sorted by key, comma-separated. */
export function selectorString(selector: unknown): string {
  if (!selector || typeof selector !== 'object') return '';
  return Object.entries(selector as Record<string, unknown>)
    .sort(([a], [b]) => {
      if (a === b) return 0;
      return a < b ? -1 : 1;
    })
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

interface ServerRef {
  gateway: KubeObject;
  selector: Record<string, string>;
  selectorKey: string;
  port: string;
  /** host -> bind of the gateway's last server on that port (as istioctl keeps them). */
  hosts: Map<string, string>;
}

/**
 * MS0228 (IST0145): Gateways whose servers declare the same host (same string, same `bind`) on the
 * same port number for the same gateway workload, as istioctl decides it: same selector, or one
 * selector's printed form containing the other's while some pod matches both (without a cluster,
 * istioctl's default ingress gateway pod counts). Reported once per conflicting server, on each
 * Gateway.
 * @public
 */
export const conflictingGatewaysAnalyzer: Analyzer = {
  id: 'istio.conflicting-gateways',
  description: CODE.summary,
  inputs: [inputs.gateway, inputs.pod],
  codes: [CODE],
  analyze(snapshot, ctx) {
    const gateways = snapshot.list(NETWORKING, 'Gateway');
    if (gateways.length < 2) return [];
    const podLabels = snapshot
      .list('v1', 'Pod')
      .map(p => p.metadata.labels ?? {});
    if (assumesDefaultIngressGateway(snapshot, ctx.includesCluster))
      podLabels.push(DEFAULT_INGRESS_GATEWAY.labels);
    const id = (gw: KubeObject) =>
      `${gw.metadata.namespace ?? 'default'}/${gw.metadata.name}`;

    // (selector, port) -> gateway -> its last server's hosts on that port.
    const byKey = new Map<string, Map<string, ServerRef>>();
    for (const gw of gateways) {
      const selector = (specOf(gw).selector ?? {}) as Record<string, string>;
      const selectorKey = selectorString(selector);
      for (const server of arr(specOf(gw).servers)) {
        const port = String(Number(server?.port?.number ?? 0) || 0);
        const key = `${selectorKey}~${port}`;
        const hosts = new Map<string, string>();
        for (const h of arr<string>(server?.hosts))
          if (typeof h === 'string') hosts.set(h, String(server?.bind ?? ''));
        const m = byKey.get(key) ?? new Map<string, ServerRef>();
        m.set(id(gw), { gateway: gw, selector, selectorKey, port, hosts });
        byKey.set(key, m);
      }
    }

    const sameWorkload = (
      a: Record<string, string>,
      aKey: string,
      b: Record<string, string>,
      bKey: string,
    ): boolean => {
      if (aKey === bKey) return true;
      if (!aKey.includes(bKey) && !bKey.includes(aKey)) return false;
      return podLabels.some(
        l =>
          selectorMatches({ matchLabels: a }, l) &&
          selectorMatches({ matchLabels: b }, l),
      );
    };

    const out: Finding[] = [];
    for (const gw of gateways) {
      const selector = (specOf(gw).selector ?? {}) as Record<string, string>;
      const selectorKey = selectorString(selector);
      arr(specOf(gw).servers).forEach((server: any, i: number) => {
        const port = String(Number(server?.port?.number ?? 0) || 0);
        const bind = String(server?.bind ?? '');
        const hosts = arr<string>(server?.hosts).filter(
          h => typeof h === 'string',
        );
        const conflicts = new Set<string>();
        for (const refs of byKey.values()) {
          for (const [name, ref] of refs) {
            if (name === id(gw) || ref.port !== port) continue;
            if (
              !sameWorkload(
                selector,
                selectorKey,
                ref.selector,
                ref.selectorKey,
              )
            )
              continue;
            if (hosts.some(h => ref.hosts.get(h) === bind)) conflicts.add(name);
          }
        }
        if (conflicts.size === 0) return;
        out.push(
          findingFor(
            CODE,
            gw,
            `/spec/servers/${i}`,
            `Conflict with gateways ${[...conflicts]
              .sort()
              .join(',')} (workload selector ${
              selectorKey || '(all)'
            }, port ${port}, hosts ${hosts.join(',')}).`,
          ),
        );
      });
    }
    return out;
  },
};
