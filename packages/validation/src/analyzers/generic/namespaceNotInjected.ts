import type {
  Analyzer,
  FindingCodeInfo,
  KubeObject,
} from '@meshstage/plugin-mesh-node';
import {
  findingFor,
  podTemplates,
  WORKLOAD_INPUTS,
} from '@meshstage/plugin-mesh-node';
import { MESH_ANNOTATION } from '@meshstage/plugin-mesh-common';
import { expectedMesh } from './meshes';

const CODE: FindingCodeInfo = {
  code: 'MS0101',
  name: 'NamespaceNotInjected',
  severity: 'warning',
  summary:
    'A namespace is not enabled for the injection of the mesh its workloads expect (meshstage.io/mesh).',
  help: "Label or annotate the namespace for the mesh's injection (Istio: `istio-injection: enabled` or `istio.io/rev`; Linkerd: annotation `linkerd.io/inject: enabled`), then restart the workloads.",
};

/**
 * MS0101: workloads (or their namespace) say `meshstage.io/mesh: <mesh>` but the namespace is not
 * injected for that mesh, so their pods start without a proxy.
 * @public
 */
export const namespaceNotInjectedAnalyzer: Analyzer = {
  id: 'generic.namespace-not-injected',
  description: CODE.summary,
  inputs: [{ apiVersion: 'v1', kind: 'Namespace' }, ...WORKLOAD_INPUTS],
  codes: [CODE],
  analyze(snapshot, ctx) {
    return snapshot.list('v1', 'Namespace').flatMap(ns => {
      const expected = new Map<string, KubeObject | undefined>();
      const own = expectedMesh(ns);
      if (own) expected.set(own, undefined);
      for (const t of podTemplates(snapshot, ns.metadata.name)) {
        const m = expectedMesh(t.owner, t);
        if (m && !expected.has(m)) expected.set(m, t.owner);
      }
      return [...expected].flatMap(([meshId, workload]) => {
        const mesh = ctx.meshes.find(m => m.id === meshId);
        if (!mesh || mesh.injection.namespaceEnabled(ns).enabled) return [];
        const why = workload
          ? `workload ${workload.kind} ${workload.metadata.name} expects mesh "${meshId}" (${MESH_ANNOTATION})`
          : `the namespace expects mesh "${meshId}" (${MESH_ANNOTATION})`;
        return [
          findingFor(
            CODE,
            ns,
            '/metadata',
            `Namespace "${ns.metadata.name}" is not enabled for ${meshId} injection, but ${why}.`,
          ),
        ];
      });
    });
  },
};
