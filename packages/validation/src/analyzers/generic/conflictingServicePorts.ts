import type {
  Analyzer,
  FindingCodeInfo,
  KubeObject,
  Snapshot,
} from '@meshstage/plugin-mesh-node';
import {
  findingFor,
  labelsMatch,
  podTemplates,
  WORKLOAD_INPUTS,
} from '@meshstage/plugin-mesh-node';
import { declaredProtocol } from './servicePortNaming';

const CODE: FindingCodeInfo = {
  code: 'MS0106',
  name: 'WorkloadAssociatedToMultipleServices',
  severity: 'warning',
  summary:
    'A workload is selected by several Services that use the same port with different protocols.',
  help: 'Give the port one protocol in every Service that selects the workload (same `appProtocol` or name prefix and transport), or split the workload.',
  istioCode: 'IST0116',
};

/**
 * Whether istioctl counts a Deployment's pods in the mesh: an `istio-proxy` container with an
 * image, else `sidecar.istio.io/inject` on the template (labels, then annotations), else its
 * namespace's `istio-injection: enabled` (a namespace not in the snapshot: not in the mesh).
 */
function istioInMesh(
  snapshot: Snapshot,
  t: ReturnType<typeof podTemplates>[number],
): boolean {
  if ((t.spec.containers ?? []).some(c => c.name === 'istio-proxy' && c.image))
    return true;
  const inject =
    t.labels['sidecar.istio.io/inject'] ??
    t.annotations['sidecar.istio.io/inject'];
  if (inject !== undefined) return inject === 'true';
  const ns = snapshot.get(
    'v1',
    'Namespace',
    undefined,
    t.owner.metadata.namespace ?? 'default',
  );
  return ns?.metadata.labels?.['istio-injection'] === 'enabled';
}

/**
 * MS0106: one workload, several Services, one port, different protocols (by name or appProtocol,
 * or by transport). Carries IST0116 only where istioctl reports it: a Deployment in the mesh whose
 * Services use the port with different transports (TCP, UDP, SCTP).
 * @public
 */
export const conflictingServicePortsAnalyzer: Analyzer = {
  id: 'generic.conflicting-service-ports',
  description: CODE.summary,
  inputs: [{ apiVersion: 'v1', kind: 'Service' }, ...WORKLOAD_INPUTS],
  codes: [CODE],
  analyze(snapshot) {
    // Services of each namespace by the first `key=value` of their selector, with their list
    // position: a workload looks up the Services its labels can satisfy instead of scanning the
    // namespace's Services (quadratic in a namespace's size otherwise).
    const indexes = new Map<
      string | undefined,
      Map<string, Array<{ svc: KubeObject; order: number }>>
    >();
    const indexOf = (ns: string | undefined) => {
      let index = indexes.get(ns);
      if (!index) {
        index = new Map();
        snapshot.list('v1', 'Service', ns).forEach((svc, order) => {
          const selector = (svc.spec as any)?.selector;
          const first = Object.entries(selector ?? {})[0];
          if (!first || typeof selector !== 'object') return;
          const key = `${first[0]}=${first[1]}`;
          const list = index!.get(key);
          if (list) list.push({ svc, order });
          else index!.set(key, [{ svc, order }]);
        });
        indexes.set(ns, index);
      }
      return index;
    };
    return podTemplates(snapshot).flatMap(t => {
      const index = indexOf(t.owner.metadata.namespace);
      const services = Object.entries(t.labels)
        .flatMap(([k, v]) => index.get(`${k}=${v}`) ?? [])
        .filter(c =>
          labelsMatch(
            (c.svc.spec as any).selector as Record<string, string>,
            t.labels,
          ),
        )
        .sort((a, b) => a.order - b.order)
        .map(c => c.svc);
      if (services.length < 2) return [];
      // port number → protocol → services using it
      const byPort = new Map<number, Map<string, KubeObject[]>>();
      for (const svc of services) {
        for (const port of ((svc.spec as any)?.ports ?? []) as Array<
          Record<string, any>
        >) {
          const proto = `${declaredProtocol(port) ?? 'unspecified'}/${
            port.protocol ?? 'TCP'
          }`;
          const protos =
            byPort.get(port.port) ?? new Map<string, KubeObject[]>();
          protos.set(proto, [...(protos.get(proto) ?? []), svc]);
          byPort.set(port.port, protos);
        }
      }
      const istioDeployment =
        t.owner.kind === 'Deployment' && istioInMesh(snapshot, t);
      return [...byPort]
        .filter(([, protos]) => protos.size > 1)
        .map(([port, protos]) => {
          const transports = new Set(
            [...protos.keys()].map(p => p.slice(p.lastIndexOf('/') + 1)),
          );
          return findingFor(
            CODE,
            t.owner,
            `${t.metadataPath}/labels`,
            `${t.owner.kind} "${
              t.owner.metadata.name
            }" is selected by Services using port ${port} with different protocols: ${[
              ...protos,
            ]
              .map(
                ([p, svcs]) =>
                  `${p} (${svcs.map(s => s.metadata.name).join(', ')})`,
              )
              .join(' vs ')}.`,
            {
              istioCode:
                istioDeployment && transports.size > 1
                  ? CODE.istioCode
                  : undefined,
            },
          );
        });
    });
  },
};
