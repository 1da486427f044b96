import type {
  Analyzer,
  FindingCodeInfo,
  KubeObject,
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

/** MS0106: one workload, several Services, one port, different protocols. @public */
export const conflictingServicePortsAnalyzer: Analyzer = {
  id: 'generic.conflicting-service-ports',
  description: CODE.summary,
  inputs: [{ apiVersion: 'v1', kind: 'Service' }, ...WORKLOAD_INPUTS],
  codes: [CODE],
  analyze(snapshot) {
    return podTemplates(snapshot).flatMap(t => {
      const ns = t.owner.metadata.namespace;
      const services = snapshot.list('v1', 'Service', ns).filter(svc => {
        const selector = (svc.spec as any)?.selector as
          | Record<string, string>
          | undefined;
        return (
          selector &&
          Object.keys(selector).length > 0 &&
          labelsMatch(selector, t.labels)
        );
      });
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
      return [...byPort]
        .filter(([, protos]) => protos.size > 1)
        .map(([port, protos]) =>
          findingFor(
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
          ),
        );
    });
  },
};
