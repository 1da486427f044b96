import { InputError } from '@backstage/errors';
import type { EntityMeshStatus } from '@meshstage/plugin-mesh-common';

/** Where an onboarding goes: one namespace of one cluster, into one mesh. */
export interface OnboardTarget {
  namespace: string;
  cluster: string;
  mesh: string;
}

/** What `mesh:onboard` was given, and what it read when it needed to. */
export interface OnboardTargetInput {
  entityRef?: string;
  namespace?: string;
  mesh?: string;
  cluster?: string;
  /** `GET /entity/.../status` of `entityRef`, when given. */
  entityStatus?: EntityMeshStatus;
  /** The configured clusters, when the cluster had to be guessed without an entity. */
  clusters?: string[];
}

const list = (items: string[]) => items.map(i => `'${i}'`).join(', ');

/**
 * Decides what to onboard, as the entity's Mesh tab does: the mesh is the input's, else the
 * entity's `meshstage.io/mesh`; the cluster is the input's, else the one cluster the entity's pods
 * run on, else the only configured cluster; the namespace is the input's, else the one namespace
 * of the entity's pods on that cluster (the backend already narrows them to
 * `backstage.io/kubernetes-namespace`). Anything ambiguous or missing is an InputError naming the
 * input to give. Pure.
 */
export function resolveOnboardTarget(input: OnboardTargetInput): OnboardTarget {
  const { entityRef, entityStatus } = input;
  if (!entityRef && !input.namespace) {
    throw new InputError(
      "Give 'entityRef' (the entity whose namespace to onboard) or 'namespace'",
    );
  }

  const mesh = input.mesh ?? entityStatus?.desiredMesh;
  if (!mesh) {
    throw new InputError(
      entityRef
        ? `Give 'mesh': ${entityRef} has no meshstage.io/mesh annotation`
        : "Give 'mesh', the mesh to onboard to (e.g. istio)",
    );
  }

  let cluster = input.cluster;
  if (!cluster && entityStatus) {
    const withPods = entityStatus.clusters
      .filter(c => c.pods.length > 0)
      .map(c => c.cluster);
    if (withPods.length === 1) cluster = withPods[0];
    else if (withPods.length > 1) {
      throw new InputError(
        `Give 'cluster': ${entityRef} runs on several clusters (${list(
          withPods,
        )})`,
      );
    }
  }
  if (!cluster) {
    const clusters = input.clusters ?? [];
    if (clusters.length === 1) cluster = clusters[0];
    else {
      throw new InputError(
        clusters.length
          ? `Give 'cluster', one of ${list(clusters)}`
          : "Give 'cluster': the mesh backend has no clusters configured",
      );
    }
  }

  let namespace = input.namespace;
  if (!namespace) {
    const onCluster = entityStatus?.clusters.find(c => c.cluster === cluster);
    if (onCluster?.error) {
      throw new InputError(
        `Cannot find the pods of ${entityRef} on cluster '${cluster}' (${onCluster.error}); give 'namespace'`,
      );
    }
    const namespaces = [
      ...new Set((onCluster?.pods ?? []).map(p => p.namespace)),
    ].sort();
    if (namespaces.length === 0) {
      throw new InputError(
        `No pods of ${entityRef} run on cluster '${cluster}', so its namespace is unknown; give 'namespace'`,
      );
    }
    if (namespaces.length > 1) {
      throw new InputError(
        `The pods of ${entityRef} run in several namespaces on cluster '${cluster}' (${list(
          namespaces,
        )}); give 'namespace'`,
      );
    }
    namespace = namespaces[0];
  }
  return { namespace, cluster, mesh };
}
