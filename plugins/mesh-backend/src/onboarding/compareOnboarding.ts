import {
  MESH_CLUSTER_ANNOTATION,
  ONBOARDING_STATES,
  type OnboardingClusterError,
  type OnboardingFix,
  type OnboardingState,
  type OnboardingTarget,
} from '@meshstage/plugin-mesh-common';
import {
  type KubePod,
  type MeshAdapter,
  requirementsMatch,
} from '@meshstage/plugin-mesh-node';
import { podMeshStatus } from '../status/podMeshStatus';
import { onboardedMeshes } from './onboardedMeshes';
import type {
  OnboardingClusterSnapshot,
  OnboardingComparison,
  OnboardingEntity,
  OnboardingOperation,
} from './types';

/** What {@link compareOnboarding} compares. */
export interface OnboardingComparisonInput {
  /**
   * Every entity that asks for a mesh, and every one the onboarding onboarded earlier: all of
   * them take part, because entities sharing a namespace decide together what an operation on it
   * may do.
   */
  entities: OnboardingEntity[];
  /** What the clusters show; a cluster with `error` is left out of the states. */
  clusters: OnboardingClusterSnapshot[];
  /** Every configured cluster name (a `meshstage.io/cluster` naming another is reported). */
  configuredClusters: string[];
  adapters: MeshAdapter[];
  /** The operations the onboarding started, any order (from the operation store). */
  history: OnboardingOperation[];
  /** Compare only this entity (the others still count as neighbours). */
  only?: string;
}

/** One pod as the comparison sees it. */
interface PodView {
  namespace: string;
  name: string;
  mesh?: string;
  /** Whether an onboard or offboard renews it: its Deployment's restart replaces it. */
  restartable: boolean;
}

/** An entity's live pods on one cluster, by namespace. */
type PodsByNamespace = Map<string, PodView[]>;

const severity = (state: OnboardingState) => ONBOARDING_STATES.indexOf(state);

const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

/**
 * Compares each entity's desired mesh with what its clusters show, per cluster and namespace where
 * its pods run, and names the operation that would bring it in sync. "In sync" is exactly what an
 * onboard operation achieves (the namespace enabled for the mesh's injection, its Deployments
 * restarted so their pods run the proxy), so a namespace where the operation would change nothing
 * is in sync; an offboard is the reverse. Entities that neither ask for a mesh nor have anything
 * left that the onboarding put them in are not in the result. Pure.
 */
export function compareOnboarding(
  input: OnboardingComparisonInput,
): Map<string, OnboardingComparison> {
  const { entities, clusters, adapters, history } = input;
  const meshIds = new Set(adapters.map(a => a.id));
  const readable = clusters.filter(c => !c.error);

  // Every entity's live pods, by cluster and namespace, and who lives in each namespace.
  const podsOf = new Map<string, Map<string, PodsByNamespace>>();
  const residents = new Map<string, OnboardingEntity[]>();
  for (const entity of entities) {
    const byCluster = new Map<string, PodsByNamespace>();
    for (const snapshot of readable) {
      if (entity.cluster && entity.cluster !== snapshot.cluster) continue;
      const byNamespace = entityPods(entity, snapshot.pods, adapters);
      byCluster.set(snapshot.cluster, byNamespace);
      for (const ns of byNamespace.keys()) {
        const key = `${snapshot.cluster}/${ns}`;
        residents.set(key, [...(residents.get(key) ?? []), entity]);
      }
    }
    podsOf.set(entity.entityRef, byCluster);
  }

  const result = new Map<string, OnboardingComparison>();
  for (const entity of entities) {
    if (input.only && entity.entityRef !== input.only) continue;
    const compared = compareEntity(entity);
    if (compared) result.set(entity.entityRef, compared);
  }
  return result;

  function compareEntity(
    entity: OnboardingEntity,
  ): OnboardingComparison | undefined {
    const base = {
      entityRef: entity.entityRef,
      ...(entity.desiredMesh && { desiredMesh: entity.desiredMesh }),
      ...(entity.cluster && { cluster: entity.cluster }),
    };
    const inScope = clusters.filter(
      c => !entity.cluster || c.cluster === entity.cluster,
    );
    const clusterErrors: OnboardingClusterError[] = inScope
      .filter(c => c.error)
      .map(c => ({ cluster: c.cluster, error: c.error! }));
    const notFound = (reason: string): OnboardingComparison => ({
      ...base,
      state: 'workloads-not-found',
      reason,
      targets: [],
      fixes: [],
      ...(clusterErrors.length && { clusterErrors }),
    });

    if (entity.problem) {
      return entity.desiredMesh ? notFound(entity.problem) : undefined;
    }
    if (entity.cluster && !input.configuredClusters.includes(entity.cluster)) {
      return entity.desiredMesh
        ? notFound(
            `cluster '${entity.cluster}' (from the ${MESH_CLUSTER_ANNOTATION} annotation) is not configured`,
          )
        : undefined;
    }
    // Compared on other clusters only (a cluster filter): nothing to say here.
    if (entity.cluster && inScope.length === 0) return undefined;

    const targets: OnboardingTarget[] = [];
    for (const [cluster, byNamespace] of podsOf.get(entity.entityRef) ?? []) {
      for (const [namespace, pods] of byNamespace) {
        const target = compareTarget(entity, cluster, namespace, pods);
        if (target) targets.push(target);
      }
    }
    targets.sort(
      (a, b) =>
        a.cluster.localeCompare(b.cluster) ||
        a.namespace.localeCompare(b.namespace),
    );

    if (targets.length === 0) {
      if (!entity.desiredMesh) return undefined;
      const where = entity.namespace ? ` in namespace ${entity.namespace}` : '';
      const searched = inScope.filter(c => !c.error).map(c => c.cluster);
      const unread = clusterErrors.length
        ? `; unreadable: ${clusterErrors
            .map(e => `${e.cluster} (${e.error})`)
            .join(', ')}`
        : '';
      return notFound(
        `No pod matches ${entity.labelSelector}${where} on ${
          searched.length ? searched.join(', ') : 'any readable cluster'
        }${unread}`,
      );
    }

    const worst = targets.reduce((a, b) =>
      severity(b.state) < severity(a.state) ? b : a,
    );
    const reason =
      targets.length === 1
        ? worst.reason
        : `${worst.cluster}/${worst.namespace}: ${worst.reason}`;
    return {
      ...base,
      state: worst.state,
      reason,
      targets,
      fixes: targets.flatMap(t => (t.fix ? [t.fix] : [])),
      ...(clusterErrors.length && { clusterErrors }),
    };
  }

  function compareTarget(
    entity: OnboardingEntity,
    cluster: string,
    namespace: string,
    pods: PodView[],
  ): OnboardingTarget | undefined {
    const desired = entity.desiredMesh;
    const snapshot = readable.find(c => c.cluster === cluster)!;
    const namespaceObject = snapshot.namespaces.find(
      n => n.metadata.name === namespace,
    );
    const enabled = new Set(
      namespaceObject
        ? adapters
            .filter(a => a.injection.namespaceEnabled(namespaceObject).enabled)
            .map(a => a.id)
        : [],
    );
    const running = (mesh: string) => pods.filter(p => p.mesh === mesh);
    const present = (mesh: string) =>
      enabled.has(mesh) || running(mesh).length > 0;
    const neighbours = (residents.get(`${cluster}/${namespace}`) ?? []).filter(
      e => e.entityRef !== entity.entityRef && e.desiredMesh,
    );
    const at = { cluster, namespace };
    const fix = (
      action: OnboardingFix['action'],
      mesh: string,
    ): OnboardingFix => ({
      action,
      request: { action, mesh, cluster, namespace },
    });

    // Meshes the onboarding put this namespace in for the entity, which it no longer asks for.
    const leftovers = [
      ...onboardedMeshes(history, {
        entityRef: entity.entityRef,
        cluster,
        namespace,
      }),
    ]
      .filter(mesh => mesh !== desired && present(mesh))
      .sort();
    for (const mesh of leftovers) {
      const keepers = neighbours.filter(e => e.desiredMesh === mesh);
      if (keepers.length === 0) {
        return {
          ...at,
          state: 'pending-offboarding',
          reason: `MeshStage onboarded namespace ${namespace} to ${mesh} for this entity, which ${
            desired ? `now asks for ${desired}` : 'no longer asks for a mesh'
          }`,
          fix: fix('offboard', mesh),
        };
      }
    }
    if (leftovers.length > 0) {
      // Offboarding would take the other entities out of the mesh they ask for.
      const mesh = leftovers[0];
      const keepers = neighbours
        .filter(e => e.desiredMesh === mesh)
        .map(e => e.entityRef);
      return {
        ...at,
        state: desired ? 'conflicting' : 'pending-offboarding',
        reason: `namespace ${namespace} stays in ${mesh}: ${keepers.join(
          ', ',
        )} ${keepers.length === 1 ? 'asks' : 'ask'} for it`,
      };
    }
    if (!desired) return undefined;

    if (!meshIds.has(desired)) {
      return {
        ...at,
        state: 'pending-onboarding',
        reason: `no adapter for mesh '${desired}' is installed in this backend (installed: ${
          [...meshIds].sort().join(', ') || 'none'
        })`,
      };
    }
    const others = [...meshIds].filter(m => m !== desired && present(m)).sort();
    if (others.length > 0) {
      const mesh = others[0];
      const count = running(mesh).length;
      return {
        ...at,
        state: 'conflicting',
        reason: count
          ? `${plural(count, 'pod')} of namespace ${namespace} ${
              count === 1 ? 'runs' : 'run'
            } the ${mesh} proxy, not ${desired}`
          : `namespace ${namespace} is enabled for ${mesh} injection, not ${desired}`,
      };
    }
    const rivals = neighbours.filter(e => e.desiredMesh !== desired);
    if (rivals.length > 0) {
      return {
        ...at,
        state: 'conflicting',
        reason: `namespace ${namespace} also holds workloads of ${rivals
          .map(e => `${e.entityRef} (asks for ${e.desiredMesh})`)
          .join(', ')}`,
      };
    }

    const renewed = pods.filter(p => p.restartable);
    const without = renewed.filter(p => p.mesh !== desired);
    if (!enabled.has(desired) || without.length > 0) {
      return {
        ...at,
        state: 'pending-onboarding',
        reason: !enabled.has(desired)
          ? `namespace ${namespace} is not enabled for ${desired} injection`
          : `${without.length} of ${plural(renewed.length, 'pod')} ${
              without.length === 1 ? 'runs' : 'run'
            } without the ${desired} proxy`,
        fix: fix('onboard', desired),
      };
    }
    const stale = pods.filter(p => !p.restartable && p.mesh !== desired);
    let coverage = `all ${pods.length} pods run the proxy`;
    if (renewed.length < pods.length) {
      coverage = 'every pod of a Deployment runs its proxy';
    } else if (pods.length === 1) {
      coverage = 'its pod runs the proxy';
    }
    return {
      ...at,
      state: 'in-sync',
      reason: `namespace ${namespace} is enabled for ${desired} injection and ${coverage}${
        stale.length
          ? `; ${plural(stale.length, 'pod')} not owned by a Deployment ${
              stale.length === 1 ? 'runs' : 'run'
            } without it until recreated`
          : ''
      }`,
    };
  }
}

/** An entity's pods on one cluster (not those being deleted), by namespace. */
function entityPods(
  entity: OnboardingEntity,
  pods: KubePod[],
  adapters: MeshAdapter[],
): PodsByNamespace {
  const out: PodsByNamespace = new Map();
  if (!entity.selector) return out;
  for (const pod of pods) {
    const namespace = pod.metadata.namespace ?? '';
    if (entity.namespace && namespace !== entity.namespace) continue;
    // A pod on its way out is not what the workload will run.
    if (pod.metadata.deletionTimestamp) continue;
    if (!requirementsMatch(entity.selector, pod.metadata.labels ?? {})) {
      continue;
    }
    const status = podMeshStatus(pod, adapters);
    const view: PodView = {
      namespace,
      name: pod.metadata.name,
      ...(status.mesh && { mesh: status.mesh }),
      // Deployments own their pods through ReplicaSets; a restart replaces exactly those.
      restartable: (pod.metadata.ownerReferences ?? []).some(
        o => o.kind === 'ReplicaSet',
      ),
    };
    out.set(namespace, [...(out.get(namespace) ?? []), view]);
  }
  return out;
}
