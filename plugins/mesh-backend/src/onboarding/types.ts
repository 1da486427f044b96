import type {
  EntityOnboarding,
  Operation,
} from '@meshstage/plugin-mesh-common';
import type {
  KubeNamespace,
  KubePod,
  LabelRequirement,
} from '@meshstage/plugin-mesh-node';

/** A catalog entity as the onboarding compares it: where its workloads are, which mesh it wants. */
export interface OnboardingEntity {
  entityRef: string;
  /** `meshstage.io/mesh`; absent when the entity no longer asks for a mesh. */
  desiredMesh?: string;
  /** `meshstage.io/cluster`: only this cluster. */
  cluster?: string;
  /** `backstage.io/kubernetes-namespace`: only this namespace. */
  namespace?: string;
  /** The Kubernetes plugin's selector, as written (for messages). */
  labelSelector?: string;
  /** The selector parsed; absent when the entity cannot be tied to pods (see `problem`). */
  selector?: LabelRequirement[];
  /** Why the entity's workloads cannot be found (no Kubernetes annotation, invalid selector). */
  problem?: string;
}

/** What one cluster shows, read once per comparison. */
export interface OnboardingClusterSnapshot {
  cluster: string;
  /** Set when the cluster could not be read; its namespaces and pods are then empty. */
  error?: string;
  namespaces: KubeNamespace[];
  /** Every pod of the namespaces that matter (all of them for a full comparison). */
  pods: KubePod[];
}

/**
 * The comparison of one entity, before the automatic onboarding adds what it knows of its own
 * attempts (operation, next attempt, last error).
 */
export type OnboardingComparison = Omit<
  EntityOnboarding,
  'operation' | 'nextAttemptAt' | 'lastError'
>;

/**
 * An operation the onboarding started: an {@link Operation} whose cause is `onboarding` and whose
 * request is an onboard or offboard of a namespace.
 */
export type OnboardingOperation = Operation & {
  cause: NonNullable<Operation['cause']>;
  request: Extract<Operation['request'], { action: 'onboard' | 'offboard' }>;
};

/** Whether an operation is one the onboarding started. */
export function isOnboardingOperation(
  op: Operation,
): op is OnboardingOperation {
  return (
    op.cause?.kind === 'onboarding' &&
    (op.request.action === 'onboard' || op.request.action === 'offboard')
  );
}
