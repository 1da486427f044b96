import type { Analyzer } from '@meshstage/plugin-mesh-node';
import { findingFor } from '@meshstage/plugin-mesh-node';
import { arr, inputs, IstioCode, NETWORKING, specOf } from './common';

const CODE: IstioCode = {
  code: 'MS0202',
  name: 'VirtualServiceGatewayNotFound',
  severity: 'error',
  summary: 'A VirtualService is bound to a Gateway that does not exist.',
  help: "Fix the gateway reference (`<namespace>/<name>`, or `<name>` for the VirtualService's namespace; `mesh` for sidecars), or create the Gateway.",
  istioCode: 'IST0101',
};

/** Resolves a gateway reference of a resource in `namespace` to `[namespace, name]`. */
export function gatewayRef(
  ref: string,
  namespace: string | undefined,
): [string, string] {
  const slash = ref.indexOf('/');
  if (slash >= 0) return [ref.slice(0, slash), ref.slice(slash + 1)];
  // `name.namespace.svc.cluster.local` is the legacy FQDN form of a gateway reference.
  const dot = ref.indexOf('.');
  if (dot >= 0) return [ref.split('.')[1], ref.slice(0, dot)];
  return [namespace ?? 'default', ref];
}

/** MS0202 (IST0101): gateways listed by VirtualServices that do not exist. @public */
export const virtualServiceGatewaysAnalyzer: Analyzer = {
  id: 'istio.virtualservice-gateways',
  description: CODE.summary,
  inputs: [inputs.virtualService, inputs.gateway],
  codes: [CODE],
  analyze(snapshot) {
    return snapshot.list(NETWORKING, 'VirtualService').flatMap(vs => {
      const spec = specOf(vs);
      const refs: Array<{ ref: string; path: string }> = [];
      arr<string>(spec.gateways).forEach((g, i) =>
        refs.push({ ref: g, path: `/spec/gateways/${i}` }),
      );
      for (const section of ['http', 'tcp', 'tls'] as const) {
        arr(spec[section]).forEach((rule: any, i: number) =>
          arr(rule?.match).forEach((m: any, j: number) =>
            arr<string>(m?.gateways).forEach((g, k) =>
              refs.push({
                ref: g,
                path: `/spec/${section}/${i}/match/${j}/gateways/${k}`,
              }),
            ),
          ),
        );
      }
      return refs
        .filter(r => typeof r.ref === 'string' && r.ref !== 'mesh')
        .filter(r => {
          const [ns, name] = gatewayRef(r.ref, vs.metadata.namespace);
          return !snapshot.get(NETWORKING, 'Gateway', ns, name);
        })
        .map(r =>
          findingFor(
            CODE,
            vs,
            r.path,
            `Referenced gateway not found: "${r.ref}".`,
          ),
        );
    });
  },
};
