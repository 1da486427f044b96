import type { Analyzer, KubeObject } from '@meshstage/plugin-mesh-node';
import { findingFor } from '@meshstage/plugin-mesh-node';
import { arr, fqdn, inputs, IstioCode, NETWORKING, specOf } from './common';
import { destinations } from './virtualServiceHosts';

const CODE: IstioCode = {
  code: 'MS0203',
  name: 'DestinationSubsetNotFound',
  severity: 'error',
  summary:
    'A VirtualService routes to a subset that no DestinationRule for the host defines.',
  help: 'Define the subset in a DestinationRule for the same host (`spec.subsets[].name`), or fix the subset name.',
  istioCode: 'IST0101',
};

/** MS0203 (IST0101): route destinations naming subsets nobody defines. @public */
export const destinationSubsetsAnalyzer: Analyzer = {
  id: 'istio.destination-subsets',
  description: CODE.summary,
  inputs: [inputs.virtualService, inputs.destinationRule],
  codes: [CODE],
  analyze(snapshot) {
    // host FQDN → subset names, built once: each destination is then a lookup.
    const subsets = new Map<string, Set<string>>();
    const rules = new Map<string, KubeObject[]>();
    for (const dr of snapshot.list(NETWORKING, 'DestinationRule')) {
      const spec = specOf(dr);
      if (typeof spec.host !== 'string') continue;
      const host = fqdn(spec.host, dr.metadata.namespace);
      const set = subsets.get(host) ?? new Set<string>();
      for (const s of arr(spec.subsets))
        if (typeof s?.name === 'string') set.add(s.name);
      subsets.set(host, set);
      rules.set(host, [...(rules.get(host) ?? []), dr]);
    }
    return snapshot.list(NETWORKING, 'VirtualService').flatMap(vs =>
      destinations(specOf(vs))
        .filter(d => typeof d.subset === 'string')
        .filter(
          d =>
            !subsets.get(fqdn(d.host, vs.metadata.namespace))?.has(d.subset!),
        )
        .map(d => {
          const host = fqdn(d.host, vs.metadata.namespace);
          const drs = rules.get(host);
          const where = drs
            ? `DestinationRule ${drs
                .map(r => `${r.metadata.namespace}/${r.metadata.name}`)
                .join(', ')} for ${host} does not define it`
            : `no DestinationRule exists for ${host}`;
          return findingFor(
            CODE,
            vs,
            `${d.path}/subset`,
            `Referenced subset not found: "${d.subset}" (${where}).`,
          );
        }),
    );
  },
};
