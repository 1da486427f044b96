import type { Finding } from '@meshstage/plugin-mesh-common';
import type { Analyzer } from '@meshstage/plugin-mesh-node';
import { findingFor } from '@meshstage/plugin-mesh-node';
import { CONFIG_MAP } from '../constants';
import { IpRange, parseCidr, parseIp, rangeContains } from './cidr';
import { inputs, LinkerdCode } from './common';
import { topLevelValue, valuesText } from './linkerdConfig';

const CODE: LinkerdCode = {
  code: 'MS0326',
  name: 'ClusterNetworksIncomplete',
  severity: 'error',
  summary:
    "Linkerd's `clusterNetworks` (in `linkerd-config`) holds an entry that is not a CIDR, or does not include the IP of a pod or the cluster IP of a Service, so Linkerd treats traffic to it as leaving the cluster (no mTLS, no policy).",
  help: 'Set `clusterNetworks` (Helm value, or `linkerd upgrade --set clusterNetworks=...`) to CIDRs covering every pod and Service network of the cluster.',
};

/** At most this many addresses are named in a message; the count says how many there are. */
const NAMED = 5;

/**
 * MS0326: `linkerd check`'s `cluster networks contains all pods` and `... contains all services`
 * (its `... all node podCIDRs` needs Nodes, which MeshStage does not read), against the
 * `clusterNetworks` value of each `linkerd-config` in view: pods not on the host network with a
 * `status.podIP`, Services with a cluster IP. One finding per kind, on the ConfigMap.
 * @public
 */
export const clusterNetworksAnalyzer: Analyzer = {
  id: 'linkerd.cluster-networks',
  description: CODE.summary,
  inputs: [{ apiVersion: 'v1', kind: 'ConfigMap' }, inputs.pod, inputs.service],
  codes: [CODE],
  analyze(snapshot) {
    const out: Finding[] = [];
    for (const cm of snapshot.list('v1', 'ConfigMap')) {
      if (cm.metadata.name !== CONFIG_MAP) continue;
      const value = topLevelValue(valuesText(cm), 'clusterNetworks');
      if (value === undefined) continue;
      const report = (message: string) =>
        out.push(
          findingFor(
            CODE,
            cm,
            '/data/values',
            `clusterNetworks "${value}" ${message}.`,
          ),
        );
      const entries = value.split(',');
      const bad = entries.filter(e => !parseCidr(e));
      if (bad.length) {
        report(`holds ${bad.map(b => `"${b}"`).join(', ')}, not a CIDR`);
        continue;
      }
      const networks = entries.map(e => parseCidr(e)!);
      const outside = (ip: IpRange) =>
        !networks.some(n => rangeContains(n, ip));
      const pods = snapshot.list('v1', 'Pod').flatMap(p => {
        const spec = (p.spec ?? {}) as { hostNetwork?: boolean };
        const ip = (p as { status?: { podIP?: unknown } }).status?.podIP;
        if (spec.hostNetwork || typeof ip !== 'string' || !ip) return [];
        const range = parseIp(ip);
        return range && outside(range)
          ? [`${p.metadata.namespace}/${p.metadata.name} (${ip})`]
          : [];
      });
      const services = snapshot.list('v1', 'Service').flatMap(s => {
        const ip = (s.spec as { clusterIP?: unknown } | undefined)?.clusterIP;
        if (typeof ip !== 'string' || !ip || ip.toLowerCase() === 'none')
          return [];
        const range = parseIp(ip);
        return range && outside(range)
          ? [`${s.metadata.namespace}/${s.metadata.name} (${ip})`]
          : [];
      });
      for (const [what, list] of [
        ['pod', pods],
        ['Service', services],
      ] as const) {
        if (list.length)
          report(
            `do not include ${list.length} ${what}(s): ${list
              .slice(0, NAMED)
              .join(', ')}${list.length > NAMED ? ', ...' : ''}`,
          );
      }
    }
    return out;
  },
};
