/**
 * Catalog-driven onboarding on the wire (`GET /api/mesh/onboarding`, and the `onboarding` field of
 * an entity's status): how each entity's desired mesh (`meshstage.io/mesh`) compares with what its
 * clusters show, and the operation that would close the gap. Plain JSON shapes, one definition for
 * the backend and the frontend.
 */
import type { NamespaceRequest } from './lifecycle';
import type { OperationState } from './operations';

/**
 * How an entity's workloads compare with the mesh it asks for:
 * - `in-sync`: an onboard (or offboard) operation would change nothing: its namespaces are set up
 *   for the desired mesh and every pod a restart would renew runs that mesh's proxy (or, with no
 *   mesh asked for any more, nothing MeshStage onboarded it to is left);
 * - `pending-onboarding`: a namespace lacks the desired mesh's injection, or pods run without its
 *   proxy;
 * - `pending-offboarding`: MeshStage onboarded it to a mesh it no longer asks for (annotation
 *   removed or changed), and that mesh is still there;
 * - `conflicting`: another mesh serves its workloads (not one MeshStage onboarded it to), or its
 *   namespace holds workloads of entities that ask for another mesh;
 * - `workloads-not-found`: no pod matches its Kubernetes annotations on the clusters it names.
 * @public
 */
export type OnboardingState =
  | 'in-sync'
  | 'pending-onboarding'
  | 'pending-offboarding'
  | 'conflicting'
  | 'workloads-not-found';

/** Every {@link OnboardingState}, in the order lists sort by (most in need of attention first). @public */
export const ONBOARDING_STATES: readonly OnboardingState[] = [
  'conflicting',
  'pending-offboarding',
  'pending-onboarding',
  'workloads-not-found',
  'in-sync',
];

/**
 * `mesh.onboarding.mode`: `manual` shows the state and a person starts the operation; `auto` has
 * the backend start onboard and offboard operations itself.
 * @public
 */
export type OnboardingMode = 'manual' | 'auto';

/** The operation that would bring one namespace of an entity in sync. @public */
export interface OnboardingFix {
  action: 'onboard' | 'offboard';
  /** The body `POST /operations` takes to start it. */
  request: NamespaceRequest;
}

/** One namespace of an entity on one cluster, compared with the mesh the entity asks for. @public */
export interface OnboardingTarget {
  cluster: string;
  namespace: string;
  state: OnboardingState;
  /** Why, in words, e.g. `2 of 3 pods run without the istio proxy`. */
  reason: string;
  /** The operation that fixes it; absent when in sync or when no operation can (a person must). */
  fix?: OnboardingFix;
}

/** An operation the onboarding started for an entity, as the list shows it. @public */
export interface OnboardingOperationSummary {
  id: string;
  action: 'onboard' | 'offboard';
  cluster: string;
  mesh: string;
  namespace: string;
  state: OperationState;
  summary: string;
  createdAt: string;
  finishedAt?: string;
  error?: string;
}

/** A cluster the comparison could not read, so the state leaves it out. @public */
export interface OnboardingClusterError {
  cluster: string;
  error: string;
}

/** One entity's onboarding state (`GET /onboarding` items, `EntityMeshStatus.onboarding`). @public */
export interface EntityOnboarding {
  entityRef: string;
  /** `meshstage.io/mesh`; absent when the annotation was removed. */
  desiredMesh?: string;
  /** `meshstage.io/cluster`, when the entity names one. */
  cluster?: string;
  /** The most pressing state of its targets (see {@link ONBOARDING_STATES} for the order). */
  state: OnboardingState;
  reason: string;
  /** Per cluster and namespace where its pods run. */
  targets: OnboardingTarget[];
  /** The operations that would bring it in sync, one per namespace (targets' fixes). */
  fixes: OnboardingFix[];
  /** The running or latest operation the automatic onboarding started for it. */
  operation?: OnboardingOperationSummary;
  /**
   * After a failed attempt: no automatic attempt before this time (ISO-8601), doubling with each
   * failure in a row.
   */
  nextAttemptAt?: string;
  /** Why the last automatic attempt failed. */
  lastError?: string;
  /** Clusters that could not be read. */
  clusterErrors?: OnboardingClusterError[];
}

/** `GET /onboarding`. @public */
export interface OnboardingList {
  mode: OnboardingMode;
  items: EntityOnboarding[];
}

/** Query filters of `GET /onboarding`. @public */
export interface OnboardingListFilter {
  /** Compare on this cluster only. */
  cluster?: string;
  /** Entities that ask for this mesh or are being offboarded from it. */
  mesh?: string;
  state?: OnboardingState;
}
