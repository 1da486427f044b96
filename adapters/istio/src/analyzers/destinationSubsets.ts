import type { Analyzer, KubeObject } from '@meshstage/plugin-mesh-node';
import { findingFor } from '@meshstage/plugin-mesh-node';
import { arr, inputs, IstioCode, NETWORKING, specOf } from './common';
import { hostResourceName } from './istioHosts';
import { destinations } from './virtualServiceHosts';

const CODE: IstioCode = {
  code: 'MS0203',
  name: 'DestinationSubsetNotFound',
  severity: 'error',
  summary:
    'A VirtualService routes to a subset that no DestinationRule for the host defines.',
  help: 'Define the subset in a DestinationRule for the same host (`spec.subsets[].name`), or fix the subset name. A DestinationRule in another namespace counts only when one of them names the host by its FQDN (`<name>.<namespace>.svc.cluster.local`).',
  istioCode: 'IST0101',
};

/**
 * MS0203 (IST0101): route and HTTP mirror destinations naming subsets nobody defines. As istioctl
 * keys them: a DestinationRule's subsets belong to (namespace, name) of its host, where a
 * `<name>.<namespace>.svc.cluster.local` host names that Service and any other host names itself in
 * the DestinationRule's namespace; a destination's host is read the same way in the
 * VirtualService's namespace.
 * @public
 */
export const destinationSubsetsAnalyzer: Analyzer = {
  id: 'istio.destination-subsets',
  description: CODE.summary,
  inputs: [inputs.virtualService, inputs.destinationRule],
  codes: [CODE],
  analyze(snapshot) {
    // host name -> subset names, built once: each destination is then a lookup.
    const subsets = new Map<string, Set<string>>();
    const rules = new Map<string, KubeObject[]>();
    for (const dr of snapshot.list(NETWORKING, 'DestinationRule')) {
      const spec = specOf(dr);
      if (typeof spec.host !== 'string') continue;
      const key = hostResourceName(dr.metadata.namespace, spec.host);
      const set = subsets.get(key) ?? new Set<string>();
      for (const s of arr(spec.subsets))
        if (typeof s?.name === 'string') set.add(s.name);
      subsets.set(key, set);
      rules.set(key, [...(rules.get(key) ?? []), dr]);
    }
    return snapshot.list(NETWORKING, 'VirtualService').flatMap(vs =>
      destinations(specOf(vs))
        .filter(d => typeof d.subset === 'string' && d.subset !== '')
        .filter(
          d =>
            !subsets
              .get(hostResourceName(vs.metadata.namespace, d.host))
              ?.has(d.subset!),
        )
        .map(d => {
          const key = hostResourceName(vs.metadata.namespace, d.host);
          const drs = rules.get(key);
          const where = drs
            ? `DestinationRule ${drs
                .map(r => `${r.metadata.namespace}/${r.metadata.name}`)
                .join(', ')} for ${d.host} does not define it`
            : `no DestinationRule for ${d.host} in namespace "${
                key.split('/')[0]
              }" or naming it by its FQDN`;
          return findingFor(
            CODE,
            vs,
            `${d.path}/subset`,
            `Referenced ${
              d.mirror ? 'mirror' : 'host'
            }+subset in destinationrule not found: "${d.host}+${
              d.subset
            }" (${where}).`,
          );
        }),
    );
  },
};
