import type { Analyzer, FindingCodeInfo } from '@meshstage/plugin-mesh-node';
import {
  findingFor,
  podTemplates,
  WORKLOAD_INPUTS,
} from '@meshstage/plugin-mesh-node';
import { proxiesIn } from './meshes';

const CODE: FindingCodeInfo = {
  code: 'MS0104',
  name: 'MultipleMeshProxies',
  severity: 'error',
  summary: 'A workload runs the proxies of two meshes.',
  help: 'Remove one proxy: take the workload (or its namespace) out of one mesh and restart it.',
};

/** MS0104: a pod or pod template with the proxy containers of two meshes. @public */
export const multipleSidecarsAnalyzer: Analyzer = {
  id: 'generic.multiple-sidecars',
  description: CODE.summary,
  inputs: [...WORKLOAD_INPUTS],
  codes: [CODE],
  analyze(snapshot, ctx) {
    return podTemplates(snapshot).flatMap(t => {
      const proxies = proxiesIn(ctx.meshes, t);
      if (proxies.length < 2) return [];
      return [
        findingFor(
          CODE,
          t.owner,
          proxies[1].path,
          `${t.owner.kind} "${
            t.owner.metadata.name
          }" runs the proxies of several meshes: ${proxies
            .map(p => `${p.name} (${p.mesh.id})`)
            .join(', ')}.`,
        ),
      ];
    });
  },
};
