import type { Analyzer } from '@meshstage/plugin-mesh-node';
import {
  findingFor,
  podTemplates,
  podTemplatesMatching,
  WORKLOAD_INPUTS,
} from '@meshstage/plugin-mesh-node';
import { inputs, LinkerdCode, POLICY_VERSION, specOf } from './common';

const CODE: LinkerdCode = {
  code: 'MS0302',
  name: 'ServerSelectsNoPod',
  severity: 'warning',
  summary:
    "A Linkerd Server's podSelector matches no pod in its namespace, so its policy protects nothing.",
  help: 'Fix `spec.podSelector` to match the pod template labels of the workload the Server is for.',
};

/** MS0302: Servers whose podSelector matches nothing (concluded only when the namespace has workloads). @public */
export const serverSelectorAnalyzer: Analyzer = {
  id: 'linkerd.server-selector',
  description: CODE.summary,
  inputs: [inputs.server, ...WORKLOAD_INPUTS],
  codes: [CODE],
  analyze(snapshot) {
    // Whether each namespace has workloads at all, computed once (not per Server).
    const hasWorkloads = new Map<string | undefined, boolean>();
    return snapshot.list(POLICY_VERSION, 'Server').flatMap(server => {
      const selector = specOf(server).podSelector;
      if (!selector || typeof selector !== 'object') return [];
      const ns = server.metadata.namespace;
      if (!hasWorkloads.has(ns))
        hasWorkloads.set(ns, podTemplates(snapshot, ns).length > 0);
      if (
        !hasWorkloads.get(ns) ||
        podTemplatesMatching(snapshot, selector, ns).length > 0
      )
        return [];
      return [
        findingFor(
          CODE,
          server,
          '/spec/podSelector',
          `Server "${server.metadata.name}" selects no pod in namespace "${server.metadata.namespace}".`,
        ),
      ];
    });
  },
};
