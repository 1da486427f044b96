import type {
  Analyzer,
  KubeObject,
  Snapshot,
} from '@meshstage/plugin-mesh-node';
import {
  findingFor,
  labelsMatch,
  podTemplates,
  WORKLOAD_INPUTS,
} from '@meshstage/plugin-mesh-node';
import {
  arr,
  assumesDefaultIngressGateway,
  DEFAULT_INGRESS_GATEWAY,
  inputs,
  IstioCode,
  NETWORKING,
  specOf,
} from './common';
import { meshConfigOf } from './meshConfig';

const CODE: IstioCode = {
  code: 'MS0215',
  name: 'GatewayPortNotDefinedOnService',
  severity: 'warning',
  summary:
    'A Gateway server listens on a port that the Service of its gateway workload does not define (as `port` or `targetPort`), so it cannot be reached through that Service.',
  help: "Add the port to the gateway's Service, or use a port it already exposes.",
  istioCode: 'IST0162',
};

/** A gateway workload instance: its namespace and labels. */
interface Instance {
  namespace: string;
  labels: Record<string, string>;
}

/** A Service port's target, as a number, or undefined for a named (or absent) one. */
function targetNumber(p: any): number | undefined {
  const t = p?.targetPort;
  if (typeof t === 'number' && t !== 0) return t;
  if (typeof t === 'string' && /^\d+$/.test(t) && Number(t) !== 0)
    return Number(t);
  return undefined;
}

/**
 * The Services of an instance's namespace that select it (a Service without a selector selects
 * everything, as Kubernetes' label selector from an empty set does), with istioctl's assumed
 * ingress gateway Service unless the files define one by its name.
 */
function servicesOf(
  snapshot: Snapshot,
  instance: Instance,
  withDefault: boolean,
): Array<{ ports: unknown[] }> {
  const out: Array<{ ports: unknown[] }> = snapshot
    .list('v1', 'Service', instance.namespace)
    .filter(svc =>
      labelsMatch(
        (specOf(svc).selector as Record<string, string>) ?? {},
        instance.labels,
      ),
    )
    .map(svc => ({ ports: arr(specOf(svc).ports) }));
  const name = meshConfigOf(snapshot).ingressService;
  if (
    withDefault &&
    instance.namespace === DEFAULT_INGRESS_GATEWAY.namespace &&
    labelsMatch(DEFAULT_INGRESS_GATEWAY.labels, instance.labels) &&
    !snapshot.get('v1', 'Service', DEFAULT_INGRESS_GATEWAY.namespace, name)
  )
    out.push({
      ports: DEFAULT_INGRESS_GATEWAY.ports.map(p => ({
        ...p,
        protocol: 'TCP',
      })),
    });
  return out;
}

/** Every port a gateway server may use: TCP service ports' targets, and their ports. */
function exposedPorts(services: Array<{ ports: unknown[] }>): Set<number> {
  const ports = new Set<number>();
  for (const svc of services)
    for (const p of svc.ports as any[]) {
      // A port without protocol is TCP (Kubernetes' default).
      if (p?.protocol !== undefined && p.protocol !== 'TCP') continue;
      const target = targetNumber(p);
      if (target !== undefined) ports.add(target);
      if (typeof p?.port === 'number') ports.add(p.port);
    }
  return ports;
}

/**
 * MS0215 (IST0162): Gateway server ports that the Services selecting the gateway's workload
 * instances do not define, as `targetPort` or `port` of a TCP port. The instances are Pods, as
 * istioctl finds them (with files and no cluster, istioctl's default ingress gateway Pod and
 * Service in istio-system too, see `DEFAULT_INGRESS_GATEWAY`). Where no Pod matches, pod templates
 * (Deployments) are checked the same way and reported without the istioctl code (istioctl would
 * report the selector as not found instead; MeshStage leaves that to MS0209).
 * @public
 */
export const gatewayPortsAnalyzer: Analyzer = {
  id: 'istio.gateway-ports',
  description: CODE.summary,
  inputs: [inputs.gateway, inputs.service, ...WORKLOAD_INPUTS],
  codes: [CODE],
  analyze(snapshot, ctx) {
    const withDefault = assumesDefaultIngressGateway(
      snapshot,
      ctx.includesCluster,
    );
    const pods: Instance[] = snapshot.list('v1', 'Pod').map(p => ({
      namespace: p.metadata.namespace ?? 'default',
      labels: p.metadata.labels ?? {},
    }));
    if (withDefault)
      pods.push({
        namespace: DEFAULT_INGRESS_GATEWAY.namespace,
        labels: DEFAULT_INGRESS_GATEWAY.labels,
      });
    const templates: Instance[] = podTemplates(snapshot).map(t => ({
      namespace: t.owner.metadata.namespace ?? 'default',
      labels: t.labels,
    }));
    return snapshot.list(NETWORKING, 'Gateway').flatMap((gw: KubeObject) => {
      const spec = specOf(gw);
      const selector = (spec.selector ?? {}) as Record<string, string>;
      const matching = (list: Instance[]) =>
        list.filter(i => labelsMatch(selector, i.labels));
      let instances = matching(pods);
      const istio = instances.length > 0;
      if (!istio) {
        // Without Pods, only a concrete selector is worth checking against templates.
        instances = Object.keys(selector).length ? matching(templates) : [];
        if (instances.length === 0) return [];
      }
      const services = instances.flatMap(i =>
        servicesOf(snapshot, i, withDefault),
      );
      if (!istio && services.length === 0) return [];
      const ports = exposedPorts(services);
      const shown = Object.entries(selector)
        .map(([k, v]) => `${k}=${v}`)
        .join(',');
      return arr(spec.servers).flatMap((server: any, i: number) => {
        const number = server?.port?.number;
        if (typeof number !== 'number' || ports.has(number)) return [];
        return [
          findingFor(
            CODE,
            gw,
            `/spec/servers/${i}/port/number`,
            `The gateway listens on port ${number}, which the Services of its workload (${
              shown || 'any pod'
            }) do not define (they define ${
              [...ports].sort((a, b) => a - b).join(', ') || 'no TCP port'
            }).`,
            istio ? {} : { istioCode: undefined },
          ),
        ];
      });
    });
  },
};
