import type { KubePod } from '@meshstage/plugin-mesh-node';
import { requirementsMatch } from '@meshstage/plugin-mesh-node';
import type { OnboardingEntity } from './types';

/** Who lives in a namespace of a cluster, as far as the catalog tells. */
export interface NamespaceResidents {
  /** Entities whose workloads run there, or which name it (`backstage.io/kubernetes-namespace`). */
  entityRefs: string[];
  /** Live pods there that no entity's selector matches: workloads no catalog owner speaks for. */
  unclaimedPods: string[];
}

/**
 * The catalog entities an onboard or offboard of `namespace` on `cluster` concerns: every entity
 * (allowed on that cluster by `meshstage.io/cluster`) that names the namespace in
 * `backstage.io/kubernetes-namespace`, or names none and has a live pod there matching its
 * selector; and the live pods no such entity matches. Entities whose workloads cannot be found
 * (no or an invalid selector) own nothing. Pure.
 */
export function namespaceResidents(input: {
  cluster: string;
  namespace: string;
  entities: OnboardingEntity[];
  /** The namespace's pods. */
  pods: KubePod[];
}): NamespaceResidents {
  const { cluster, namespace } = input;
  const pods = input.pods.filter(
    p =>
      (p.metadata.namespace ?? namespace) === namespace &&
      !p.metadata.deletionTimestamp,
  );
  const candidates = input.entities.filter(
    e =>
      e.selector &&
      (!e.cluster || e.cluster === cluster) &&
      (!e.namespace || e.namespace === namespace),
  );
  const claimed = new Set<string>();
  const entityRefs = new Set<string>();
  for (const entity of candidates) {
    const matched = pods.filter(p =>
      requirementsMatch(entity.selector!, p.metadata.labels ?? {}),
    );
    for (const pod of matched) claimed.add(pod.metadata.name);
    if (entity.namespace === namespace || matched.length > 0) {
      entityRefs.add(entity.entityRef);
    }
  }
  return {
    entityRefs: [...entityRefs].sort(),
    unclaimedPods: pods
      .map(p => p.metadata.name)
      .filter(name => !claimed.has(name))
      .sort(),
  };
}
