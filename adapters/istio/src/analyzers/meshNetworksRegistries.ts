import type { Finding } from '@meshstage/plugin-mesh-common';
import type { Analyzer } from '@meshstage/plugin-mesh-node';
import { findingFor, pointerSegment } from '@meshstage/plugin-mesh-node';
import { inputs, IstioCode } from './common';
import { meshNetworksObject } from './meshConfig';
import { field } from './protoShape';

const CODE: IstioCode = {
  code: 'MS0258',
  name: 'UnknownMeshNetworksServiceRegistry',
  severity: 'error',
  summary:
    "A MeshNetworks network takes endpoints `fromRegistry` a service registry Istio does not know: neither one of its own (`Kubernetes`, `External`, `Mock`) nor a remote cluster's secret names it.",
  help: 'Use the cluster ID of a remote cluster (a key of a Secret labelled `istio/multiCluster: "true"`) or `Kubernetes` for the local cluster; registry names are case-sensitive.',
  istioCode: 'IST0126',
};

/** The registries Istio always has. */
const BUILT_IN = ['Kubernetes', 'External', 'Mock'];

/**
 * MS0258 (IST0126): `networks.<name>.endpoints[].fromRegistry` of the MeshNetworks
 * (`--mesh-networks`) naming no known registry: Istio's own, or a cluster ID that a
 * `istio/multiCluster: "true"` Secret carries as a data key.
 * @public
 */
export const meshNetworksRegistriesAnalyzer: Analyzer = {
  id: 'istio.meshnetworks-registries',
  description: CODE.summary,
  inputs: [inputs.secret],
  codes: [CODE],
  analyze(snapshot) {
    const mn = meshNetworksObject(snapshot);
    if (!mn) return [];
    const known = new Set(BUILT_IN);
    for (const secret of snapshot.list('v1', 'Secret')) {
      if (secret.metadata.labels?.['istio/multiCluster'] !== 'true') continue;
      const s = secret as {
        data?: Record<string, unknown>;
        stringData?: Record<string, unknown>;
      };
      for (const key of Object.keys({ ...s.data, ...s.stringData }))
        known.add(key);
    }
    const out: Finding[] = [];
    const networks = field(mn.spec, 'networks');
    for (const [name, network] of Object.entries(
      networks && typeof networks === 'object' ? networks : {},
    )) {
      const endpoints = field(network, 'endpoints');
      (Array.isArray(endpoints) ? endpoints : []).forEach((e, i) => {
        const registry = field(e, 'fromRegistry');
        if (typeof registry !== 'string' || known.has(registry)) return;
        out.push(
          findingFor(
            CODE,
            mn,
            `/spec/networks/${pointerSegment(
              name,
            )}/endpoints/${i}/fromRegistry`,
            `Unknown service registry "${registry}" in network "${name}" (known: ${[
              ...known,
            ]
              .sort()
              .join(', ')}).`,
          ),
        );
      });
    }
    return out;
  },
};
