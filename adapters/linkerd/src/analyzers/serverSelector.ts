import type { Analyzer } from '@meshstage/plugin-mesh-node';
import {
  findingFor,
  podTemplates,
  selectorMatches,
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
    return snapshot.list(POLICY_VERSION, 'Server').flatMap(server => {
      const selector = specOf(server).podSelector;
      if (!selector || typeof selector !== 'object') return [];
      const templates = podTemplates(snapshot, server.metadata.namespace);
      if (
        templates.length === 0 ||
        templates.some(t => selectorMatches(selector, t.labels))
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
