import type { PodTemplateRef, Snapshot } from '@meshstage/plugin-mesh-node';
import { POD_INJECT_LABEL, PROXY_CONTAINER } from '../constants';

/**
 * Whether istioctl counts a workload's pods in the mesh (pure): an `istio-proxy` container with an
 * image; else `sidecar.istio.io/inject` on the template (labels, then annotations) says; else its
 * namespace's `istio-injection: enabled` label (a namespace missing from the snapshot: not in the
 * mesh). Revision labels do not count, as istioctl does not count them here.
 */
export function inMesh(snapshot: Snapshot, t: PodTemplateRef): boolean {
  const containers = [
    ...(t.spec.containers ?? []),
    ...(t.spec.initContainers ?? []),
  ];
  if (containers.some(c => c.name === PROXY_CONTAINER && c.image)) return true;
  const inject = t.labels[POD_INJECT_LABEL] ?? t.annotations[POD_INJECT_LABEL];
  if (inject !== undefined) return inject === 'true';
  const ns = snapshot.get(
    'v1',
    'Namespace',
    undefined,
    t.owner.metadata.namespace ?? 'default',
  );
  return ns?.metadata.labels?.['istio-injection'] === 'enabled';
}
