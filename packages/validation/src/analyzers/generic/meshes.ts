import type {
  AnalyzerMesh,
  KubeObject,
  PodTemplateRef,
} from '@meshstage/plugin-mesh-node';
import { podContainers } from '@meshstage/plugin-mesh-node';
import { MESH_ANNOTATION } from '@meshstage/plugin-mesh-common';

/** The meshes whose injection a namespace enables. */
export function injectingMeshes(
  meshes: readonly AnalyzerMesh[],
  namespace: KubeObject,
): AnalyzerMesh[] {
  return meshes.filter(m => m.injection.namespaceEnabled(namespace).enabled);
}

/** The meshes whose proxy containers a pod template runs, with the container's index path. */
export function proxiesIn(
  meshes: readonly AnalyzerMesh[],
  template: PodTemplateRef,
): Array<{ mesh: AnalyzerMesh; path: string; name: string }> {
  const out: Array<{ mesh: AnalyzerMesh; path: string; name: string }> = [];
  const containers = template.spec.containers ?? [];
  const inits = template.spec.initContainers ?? [];
  for (const mesh of meshes) {
    const names = mesh.injection.proxyContainerNames;
    const i = containers.findIndex(c => names.includes(c.name));
    if (i >= 0) {
      out.push({
        mesh,
        path: `${template.specPath}/containers/${i}`,
        name: containers[i].name,
      });
      continue;
    }
    const j = inits.findIndex(
      c => names.includes(c.name) && c.restartPolicy === 'Always',
    );
    if (j >= 0) {
      out.push({
        mesh,
        path: `${template.specPath}/initContainers/${j}`,
        name: inits[j].name,
      });
    }
  }
  return out;
}

/** Whether a template runs any proxy of `mesh` (regular container or native sidecar). */
export function runsProxyOf(
  mesh: AnalyzerMesh,
  template: PodTemplateRef,
): boolean {
  return podContainers({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: '' },
    spec: template.spec,
  }).some(c => mesh.injection.proxyContainerNames.includes(c.name));
}

/**
 * The well-known per-pod opt-outs of injection. They are mesh conventions that the MeshInjection
 * contract does not (yet) expose, so they are listed here rather than guessed per mesh.
 */
export function podOptedOut(template: PodTemplateRef): boolean {
  const istio =
    template.labels['sidecar.istio.io/inject'] ??
    template.annotations['sidecar.istio.io/inject'];
  if (istio === 'false') return true;
  if (template.annotations['linkerd.io/inject'] === 'disabled') return true;
  // Host-network pods cannot be injected by any sidecar mesh.
  return template.spec.hostNetwork === true;
}

/** The mesh a workload or its namespace declares it expects (`meshstage.io/mesh`). */
export function expectedMesh(
  obj: KubeObject,
  template?: PodTemplateRef,
): string | undefined {
  return (
    obj.metadata.annotations?.[MESH_ANNOTATION] ??
    obj.metadata.labels?.[MESH_ANNOTATION] ??
    template?.annotations[MESH_ANNOTATION] ??
    template?.labels[MESH_ANNOTATION]
  );
}
