import type { Analyzer } from '@meshstage/plugin-mesh-node';
import {
  findingFor,
  labelsMatch,
  podTemplates,
  WORKLOAD_INPUTS,
} from '@meshstage/plugin-mesh-node';
import { arr, inputs, IstioCode, NETWORKING, specOf } from './common';

const CODE: IstioCode = {
  code: 'MS0215',
  name: 'GatewayPortNotOnWorkload',
  severity: 'warning',
  summary:
    'A Gateway server listens on a port that the Service of its gateway workload does not expose.',
  help: "Add the port to the gateway's Service (as `port` or `targetPort`), or use a port it already exposes.",
  istioCode: 'IST0104',
};

/**
 * MS0215 (IST0104): Gateway server ports the gateway workload's Services do not expose. Only
 * concluded when the selected workload and at least one Service for it are in the snapshot.
 * @public
 */
export const gatewayPortsAnalyzer: Analyzer = {
  id: 'istio.gateway-ports',
  description: CODE.summary,
  inputs: [inputs.gateway, inputs.service, ...WORKLOAD_INPUTS],
  codes: [CODE],
  analyze(snapshot) {
    const templates = podTemplates(snapshot);
    return snapshot.list(NETWORKING, 'Gateway').flatMap(gw => {
      const spec = specOf(gw);
      const selector = spec.selector as Record<string, string> | undefined;
      if (!selector || Object.keys(selector).length === 0) return [];
      const workloads = templates.filter(t => labelsMatch(selector, t.labels));
      const ports = new Set<number>();
      let services = 0;
      for (const ns of new Set(
        workloads.map(t => t.owner.metadata.namespace),
      )) {
        for (const svc of snapshot.list('v1', 'Service', ns)) {
          const sel = (svc.spec as any)?.selector as
            | Record<string, string>
            | undefined;
          if (
            !sel ||
            !workloads.some(
              t =>
                t.owner.metadata.namespace === ns && labelsMatch(sel, t.labels),
            )
          )
            continue;
          services++;
          for (const p of arr((svc.spec as any)?.ports)) {
            if (typeof p?.port === 'number') ports.add(p.port);
            if (typeof p?.targetPort === 'number') ports.add(p.targetPort);
          }
        }
      }
      if (services === 0) return [];
      return arr(spec.servers).flatMap((server: any, i: number) => {
        const number = server?.port?.number;
        if (typeof number !== 'number' || ports.has(number)) return [];
        return [
          findingFor(
            CODE,
            gw,
            `/spec/servers/${i}/port/number`,
            `The gateway refers to port ${number}, which the gateway workload's Services do not expose (they expose ${[
              ...ports,
            ]
              .sort((a, b) => a - b)
              .join(', ')}).`,
          ),
        ];
      });
    });
  },
};
