import type { Analyzer, FindingCodeInfo } from '@meshstage/plugin-mesh-node';
import { findingFor } from '@meshstage/plugin-mesh-node';
import { injectingMeshes } from './meshes';

const CODE: FindingCodeInfo = {
  code: 'MS0103',
  name: 'ConflictingInjectors',
  severity: 'error',
  summary: 'A namespace is enabled for the injection of two meshes at once.',
  help: 'Keep the injection label or annotation of one mesh and remove the others; two injectors on one pod give it two proxies that fight over its traffic.',
};

/** MS0103: two meshes' injection labels or annotations on one namespace. @public */
export const conflictingInjectorsAnalyzer: Analyzer = {
  id: 'generic.conflicting-injectors',
  description: CODE.summary,
  inputs: [{ apiVersion: 'v1', kind: 'Namespace' }],
  codes: [CODE],
  analyze(snapshot, ctx) {
    return snapshot.list('v1', 'Namespace').flatMap(ns => {
      const meshes = injectingMeshes(ctx.meshes, ns);
      if (meshes.length < 2) return [];
      return [
        findingFor(
          CODE,
          ns,
          '/metadata',
          `Namespace "${
            ns.metadata.name
          }" is enabled for injection by several meshes: ${meshes
            .map(m => m.id)
            .join(', ')}.`,
        ),
      ];
    });
  },
};
