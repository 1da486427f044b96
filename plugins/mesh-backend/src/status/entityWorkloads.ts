import { type Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  KUBERNETES_ID_ANNOTATION,
  KUBERNETES_LABEL_SELECTOR_ANNOTATION,
  KUBERNETES_NAMESPACE_ANNOTATION,
  MESH_ANNOTATION,
  MESH_CLUSTER_ANNOTATION,
  entityLabelSelector,
} from '@meshstage/plugin-mesh-common';

/** Where an entity's workloads are, read from its annotations. */
export interface EntityWorkloads {
  entityRef: string;
  labelSelector: string;
  /** `backstage.io/kubernetes-namespace`: only this namespace; all when absent. */
  namespace?: string;
  /** `meshstage.io/cluster`: only this cluster; all when absent. */
  cluster?: string;
  /** `meshstage.io/mesh`: the mesh the workloads should run in. */
  desiredMesh?: string;
}

/**
 * Reads an entity's workload annotations as the Kubernetes plugin does. An entity without them
 * cannot be shown, and the error says which annotation to add.
 */
export function entityWorkloads(entity: Entity): EntityWorkloads {
  const entityRef = stringifyEntityRef(entity);
  const labelSelector = entityLabelSelector(entity);
  if (!labelSelector) {
    throw new InputError(
      `Entity ${entityRef} is not tied to Kubernetes workloads: add the annotation '${KUBERNETES_ID_ANNOTATION}' (or '${KUBERNETES_LABEL_SELECTOR_ANNOTATION}')`,
    );
  }
  const annotations = entity.metadata.annotations ?? {};
  return {
    entityRef,
    labelSelector,
    namespace: annotations[KUBERNETES_NAMESPACE_ANNOTATION] || undefined,
    cluster: annotations[MESH_CLUSTER_ANNOTATION] || undefined,
    desiredMesh: annotations[MESH_ANNOTATION] || undefined,
  };
}
