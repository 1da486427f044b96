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

/**
 * MS0205: two VirtualServices claim one host on one gateway. On the `mesh` gateway this is
 * istioctl's IST0109 (ConflictingMeshGatewayVirtualServiceHosts); on an ingress gateway Istio merges
 * or drops routes unpredictably, so it is reported too, without the istio code.
 * @public
 */
export const conflictingVirtualServiceHostsAnalyzer: Analyzer = {
  id: 'istio.conflicting-virtualservice-hosts',
  description: CODE.summary,
  inputs: [inputs.virtualService],
  codes: [CODE],
  analyze(snapshot) {
    // gateway + host → [VirtualService, index of the host]
    const claims = new Map<string, Array<{ vs: KubeObject; i: number }>>();
    for (const vs of snapshot.list(NETWORKING, 'VirtualService')) {
      const spec = specOf(vs);
      const ns = vs.metadata.namespace;
      const gateways = arr<string>(spec.gateways).length
        ? arr<string>(spec.gateways)
        : ['mesh'];
      const exportTo = arr<string>(spec.exportTo);
      // A VirtualService exported only to its own namespace does not conflict with other namespaces'.
      const scope = exportTo.length === 1 && exportTo[0] === '.' ? ns : '*';
      for (const g of gateways) {
        const gw = g === 'mesh' ? 'mesh' : gatewayRef(g, ns).join('/');
        arr<string>(spec.hosts).forEach((h, i) => {
          if (typeof h !== 'string') return;
          const key = `${gw}|${scope}|${fqdn(h, ns)}`;
          claims.set(key, [...(claims.get(key) ?? []), { vs, i }]);
        });
      }
    }
    return [...claims].flatMap(([key, list]) => {
      const unique = [...new Map(list.map(c => [c.vs, c])).values()];
      if (unique.length < 2) return [];
      const [gw, , host] = key.split('|');
      const names = unique.map(
        c => `${c.vs.metadata.namespace}/${c.vs.metadata.name}`,
      );
      return unique.map(c =>
        findingFor(
          { ...CODE, istioCode: gw === 'mesh' ? CODE.istioCode : undefined },
          c.vs,
          `/spec/hosts/${c.i}`,
          `The VirtualServices ${names.join(
            ', ',
          )} all declare host "${host}" on ${
            gw === 'mesh' ? 'the mesh gateway' : `gateway ${gw}`
          }; only one takes effect.`,
        ),
      );
    });
  },
};
