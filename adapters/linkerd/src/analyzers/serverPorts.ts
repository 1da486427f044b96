import type { Analyzer } from '@meshstage/plugin-mesh-node';
import {
  findingFor,
  podTemplatesMatching,
  WORKLOAD_INPUTS,
} from '@meshstage/plugin-mesh-node';
import { arr, inputs, LinkerdCode, POLICY_VERSION, specOf } from './common';

const CODE: LinkerdCode = {
  code: 'MS0309',
  name: 'ServerPortNotExposed',
  severity: 'warning',
  summary:
    "A Linkerd Server's `port` (number or name) is not a container port of any pod it selects, so its policy applies to no traffic.",
  help: 'Set `spec.port` to a `containerPort` (or a port `name`) of the selected pods, or declare the port on the container.',
};

/**
 * MS0309: Servers whose `port` no selected pod template declares, by number (`containerPort`) or
 * by name. Servers selecting no pod are MS0302's.
 * @public
 */
export const serverPortsAnalyzer: Analyzer = {
  id: 'linkerd.server-ports',
  description: CODE.summary,
  inputs: [inputs.server, ...WORKLOAD_INPUTS],
  codes: [CODE],
  analyze(snapshot) {
    return snapshot.list(POLICY_VERSION, 'Server').flatMap(server => {
      const spec = specOf(server);
      const port = spec.port;
      const selector = spec.podSelector;
      if (
        (typeof port !== 'number' && typeof port !== 'string') ||
        port === '' ||
        !selector ||
        typeof selector !== 'object'
      )
        return [];
      const ns = server.metadata.namespace;
      const selected = podTemplatesMatching(snapshot, selector, ns);
      if (selected.length === 0) return [];
      const exposed = selected.some(t =>
        arr(t.spec.containers).some((c: any) =>
          arr(c?.ports).some((p: any) =>
            typeof port === 'number'
              ? p?.containerPort === port
              : p?.name === port || String(p?.containerPort) === port,
          ),
        ),
      );
      if (exposed) return [];
      return [
        findingFor(
          CODE,
          server,
          '/spec/port',
          `Server "${server.metadata.name}" port ${
            typeof port === 'number' ? port : `"${port}"`
          } is not a container port of the ${
            selected.length
          } workload(s) it selects (${selected
            .map(t => `${t.owner.kind} ${t.owner.metadata.name}`)
            .join(', ')}).`,
        ),
      ];
    });
  },
};
