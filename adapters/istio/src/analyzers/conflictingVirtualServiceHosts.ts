import type { Analyzer, KubeObject } from '@meshstage/plugin-mesh-node';
import { findingFor } from '@meshstage/plugin-mesh-node';
import { arr, fqdn, inputs, IstioCode, NETWORKING, specOf } from './common';
import { gatewayRef } from './virtualServiceGateways';

const CODE: IstioCode = {
  code: 'MS0205',
  name: 'ConflictingVirtualServiceHosts',
  severity: 'error',
  summary:
    'Several VirtualServices bound to the same gateway (or to the mesh) declare the same host; only one of them takes effect.',
  help: 'Merge the routes into one VirtualService per host and gateway, or give them distinct hosts. (For the `mesh` gateway this is `istioctl analyze` IST0109.)',
  istioCode: 'IST0109',
};

/** Whether two hosts overlap, wildcards included (`*.example.com` and `api.example.com` do). */
export function hostsOverlap(a: string, b: string): boolean {
  const aw = a.startsWith('*');
  const bw = b.startsWith('*');
  if (aw && bw)
    return a.length < b.length
      ? b.slice(1).endsWith(a.slice(1))
      : a.slice(1).endsWith(b.slice(1));
  if (aw) return b.endsWith(a.slice(1));
  if (bw) return a.endsWith(b.slice(1));
  return a === b;
}

/** A short host made a FQDN in `namespace`; wildcards and dotted hosts are kept. */
const meshFqdn = (host: string, namespace: string) =>
  host.startsWith('*') || host.includes('.')
    ? host
    : `${host}.${namespace}.svc.cluster.local`;

/**
 * The mesh-gateway conflicts as istioctl finds them: VirtualServices bound to `mesh` (no gateways,
 * or `mesh` among them) keyed by each namespace they are exported to (`*` for none or `*`; `.` is
 * their own) and host; a namespace's key also meets the `*` keys of overlapping hosts. Each
 * VirtualService is reported once.
 */
function meshConflicts(vss: readonly KubeObject[]) {
  const byKey = new Map<
    string,
    { scope: string; host: string; list: KubeObject[] }
  >();
  for (const vs of vss) {
    const spec = specOf(vs);
    const gateways = arr<string>(spec.gateways);
    if (gateways.length && !gateways.includes('mesh')) continue;
    const ns = vs.metadata.namespace ?? 'default';
    const exportTo = arr<string>(spec.exportTo);
    const scopes =
      exportTo.length === 0 || exportTo.includes('*')
        ? ['*']
        : [...new Set(exportTo.map(e => (e === '.' ? ns : e)))];
    for (const scope of scopes)
      for (const h of arr<string>(spec.hosts)) {
        if (typeof h !== 'string') continue;
        const host = meshFqdn(h, ns);
        const key = `${scope}/${host}`;
        const slot = byKey.get(key) ?? { scope, host, list: [] };
        slot.list.push(vs);
        byKey.set(key, slot);
      }
  }
  const reported = new Set<KubeObject>();
  const out: Array<{ vs: KubeObject; names: string[]; key: string }> = [];
  for (const [key, { scope, host, list }] of byKey) {
    const all =
      scope === '*'
        ? list
        : [
            ...list,
            ...[...byKey.values()]
              .filter(o => o.scope === '*' && hostsOverlap(host, o.host))
              .flatMap(o => o.list),
          ];
    if (all.length < 2) continue;
    const names = all
      .map(v => `${v.metadata.namespace}/${v.metadata.name}`)
      .sort();
    for (const vs of all) {
      if (reported.has(vs)) continue;
      reported.add(vs);
      out.push({ vs, names, key });
    }
  }
  return out;
}

/**
 * MS0205: VirtualServices claiming one host on one gateway. On the `mesh` gateway as istioctl's
 * IST0109 (ConflictingMeshGatewayVirtualServiceHosts) finds it (see `meshConflicts`); on an
 * ingress gateway Istio merges or drops routes unpredictably, so that is reported too, without the
 * istio code.
 * @public
 */
export const conflictingVirtualServiceHostsAnalyzer: Analyzer = {
  id: 'istio.conflicting-virtualservice-hosts',
  description: CODE.summary,
  inputs: [inputs.virtualService],
  codes: [CODE],
  analyze(snapshot) {
    const vss = snapshot.list(NETWORKING, 'VirtualService');
    const findings = meshConflicts(vss).map(({ vs, names, key }) => {
      const host = key.slice(key.indexOf('/') + 1);
      const ns = vs.metadata.namespace ?? 'default';
      const i = arr<string>(specOf(vs).hosts).findIndex(
        h => typeof h === 'string' && hostsOverlap(meshFqdn(h, ns), host),
      );
      return findingFor(
        CODE,
        vs,
        i >= 0 ? `/spec/hosts/${i}` : '/metadata/name',
        `The VirtualServices ${names.join(
          ', ',
        )} all declare host "${host}" on the mesh gateway; only one takes effect.`,
      );
    });
    // gateway + scope + host → [VirtualService, index of the host]
    const claims = new Map<string, Array<{ vs: KubeObject; i: number }>>();
    for (const vs of vss) {
      const spec = specOf(vs);
      const ns = vs.metadata.namespace;
      const exportTo = arr<string>(spec.exportTo);
      // A VirtualService exported only to its own namespace does not conflict with other namespaces'.
      const scope = exportTo.length === 1 && exportTo[0] === '.' ? ns : '*';
      for (const g of arr<string>(spec.gateways)) {
        if (g === 'mesh') continue;
        const gw = gatewayRef(g, ns).join('/');
        arr<string>(spec.hosts).forEach((h, i) => {
          if (typeof h !== 'string') return;
          const key = `${gw}|${scope}|${fqdn(h, ns)}`;
          claims.set(key, [...(claims.get(key) ?? []), { vs, i }]);
        });
      }
    }
    for (const [key, list] of claims) {
      const unique = [...new Map(list.map(c => [c.vs, c])).values()];
      if (unique.length < 2) continue;
      const [gw, , host] = key.split('|');
      const names = unique.map(
        c => `${c.vs.metadata.namespace}/${c.vs.metadata.name}`,
      );
      for (const c of unique)
        findings.push(
          findingFor(
            { ...CODE, istioCode: undefined },
            c.vs,
            `/spec/hosts/${c.i}`,
            `The VirtualServices ${names.join(
              ', ',
            )} all declare host "${host}" on gateway ${gw}; only one takes effect.`,
          ),
        );
    }
    return findings;
  },
};
