import type { OnboardingOperation } from './types';

/**
 * The meshes the automatic onboarding put a namespace in for an entity and has not taken it out
 * of since: for each mesh, the entity's operations on that cluster and namespace are read newest
 * first; a succeeded offboard ends the responsibility, an onboard that was not reverted holds it,
 * and an unfinished or failed offboard leaves it with the onboard before. `history` may hold any
 * onboarding operations, in any order. Pure.
 */
export function onboardedMeshes(
  history: readonly OnboardingOperation[],
  target: { entityRef: string; cluster: string; namespace: string },
): Set<string> {
  const ops = history
    .filter(
      op =>
        op.cluster === target.cluster &&
        op.request.namespace === target.namespace &&
        op.cause.entityRefs.includes(target.entityRef),
    )
    .sort(newestFirst);
  const decided = new Set<string>();
  const onboarded = new Set<string>();
  for (const op of ops) {
    if (decided.has(op.mesh)) continue;
    if (op.action === 'offboard' && op.state === 'succeeded') {
      decided.add(op.mesh);
    } else if (op.action === 'onboard' && op.state !== 'reverted') {
      decided.add(op.mesh);
      onboarded.add(op.mesh);
    }
  }
  return onboarded;
}

/** Newest first by creation time, then id, as the operation store lists them. */
export function newestFirst(
  a: { createdAt: string; id: string },
  b: { createdAt: string; id: string },
): number {
  return b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id);
}
