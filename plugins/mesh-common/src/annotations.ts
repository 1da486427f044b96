import type { Entity } from '@backstage/catalog-model';

/** The mesh an entity's workloads are expected to run in, e.g. `istio`. @public */
export const MESH_ANNOTATION = 'meshstage.io/mesh';
/** Restricts an entity to one cluster by name (from the Kubernetes plugin's config). @public */
export const MESH_CLUSTER_ANNOTATION = 'meshstage.io/cluster';
/** The performance profile that benchmarks an entity by default. @public */
export const MESH_PERFORMANCE_PROFILE_ANNOTATION =
  'meshstage.io/performance-profile';

/** The Kubernetes plugin's annotations that tie an entity to workloads. @public */
export const KUBERNETES_ID_ANNOTATION = 'backstage.io/kubernetes-id';
/** @public */
export const KUBERNETES_LABEL_SELECTOR_ANNOTATION =
  'backstage.io/kubernetes-label-selector';
/** @public */
export const KUBERNETES_NAMESPACE_ANNOTATION =
  'backstage.io/kubernetes-namespace';

/**
 * Whether MeshStage can show anything for an entity: it must be tied to workloads with one of the
 * Kubernetes plugin's annotations.
 * @public
 */
export function isMeshAvailable(entity: Entity): boolean {
  const a = entity.metadata.annotations ?? {};
  return Boolean(
    a[KUBERNETES_ID_ANNOTATION] || a[KUBERNETES_LABEL_SELECTOR_ANNOTATION],
  );
}

/**
 * The label selector that finds an entity's workloads, as the Kubernetes plugin computes it:
 * the explicit selector annotation wins, otherwise `backstage.io/kubernetes-id=<id>`.
 * @public
 */
export function entityLabelSelector(entity: Entity): string | undefined {
  const a = entity.metadata.annotations ?? {};
  if (a[KUBERNETES_LABEL_SELECTOR_ANNOTATION]) {
    return a[KUBERNETES_LABEL_SELECTOR_ANNOTATION];
  }
  if (a[KUBERNETES_ID_ANNOTATION]) {
    return `${KUBERNETES_ID_ANNOTATION}=${a[KUBERNETES_ID_ANNOTATION]}`;
  }
  return undefined;
}
