import type { Entity } from '@backstage/catalog-model';
import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  MESH_ANNOTATION,
  MESH_CLUSTER_ANNOTATION,
} from '@meshstage/plugin-mesh-common';
import { parseLabelSelector } from '@meshstage/plugin-mesh-node';
import { entityWorkloads } from '../status/entityWorkloads';
import type { OnboardingEntity } from './types';

/**
 * Reads what the onboarding needs from a catalog entity, with the entity status's reading of its
 * workload annotations. Never throws: an entity whose workloads cannot be found carries the reason
 * as `problem`. Pure.
 */
export function onboardingEntity(entity: Entity): OnboardingEntity {
  const annotations = entity.metadata.annotations ?? {};
  const base = {
    entityRef: stringifyEntityRef(entity),
    ...(annotations[MESH_ANNOTATION] && {
      desiredMesh: annotations[MESH_ANNOTATION],
    }),
    ...(annotations[MESH_CLUSTER_ANNOTATION] && {
      cluster: annotations[MESH_CLUSTER_ANNOTATION],
    }),
  };
  let workloads;
  try {
    workloads = entityWorkloads(entity);
  } catch (error) {
    return { ...base, problem: (error as Error).message };
  }
  const located = {
    ...base,
    labelSelector: workloads.labelSelector,
    ...(workloads.namespace && { namespace: workloads.namespace }),
  };
  try {
    return {
      ...located,
      selector: parseLabelSelector(workloads.labelSelector),
    };
  } catch (error) {
    return { ...located, problem: (error as Error).message };
  }
}
