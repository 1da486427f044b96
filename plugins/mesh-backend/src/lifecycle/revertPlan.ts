import type { Plan, PlanObject, PlanStep } from '@meshstage/plugin-mesh-common';
import { formatObjectRef } from '@meshstage/plugin-mesh-common';
import type { KubeObject } from '@meshstage/plugin-mesh-node';
import { REDACTED } from '@meshstage/plugin-mesh-node';
import { objectKey } from './objectKey';
import type { Operation, PriorState } from './types';

// Metadata the API server owns; never sent back when restoring an object.
const SERVER_METADATA = [
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'managedFields',
  'selfLink',
];

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The JSON merge patch that turns `from` into `to`: changed values set, missing keys `null`.
 * Arrays are replaced whole, as merge patches do. `undefined` when they are equal.
 */
export function mergePatchBetween(
  from: unknown,
  to: unknown,
): Record<string, unknown> | undefined {
  if (!isPlainObject(from) || !isPlainObject(to)) return undefined;
  const patch: Record<string, unknown> = {};
  for (const key of new Set([...Object.keys(from), ...Object.keys(to)])) {
    if (!(key in to)) {
      patch[key] = null;
    } else if (isPlainObject(from[key]) && isPlainObject(to[key])) {
      const child = mergePatchBetween(from[key], to[key]);
      if (child) patch[key] = child;
    } else if (JSON.stringify(from[key]) !== JSON.stringify(to[key])) {
      patch[key] = to[key];
    }
  }
  return Object.keys(patch).length ? patch : undefined;
}

/**
 * A Secret's private values are stored as `<redacted>` (never the key itself): a restore leaves
 * them as they are on the cluster.
 */
function withoutRedacted(
  prior: KubeObject,
  current: KubeObject | undefined,
): KubeObject {
  const data = (prior as { data?: Record<string, string> }).data;
  if (prior.kind !== 'Secret' || !data) return prior;
  const live = ((current as { data?: Record<string, string> } | undefined)
    ?.data ?? {}) as Record<string, string>;
  const kept = Object.fromEntries(
    Object.entries(data)
      .map(([k, v]) => [k, v === REDACTED ? live[k] : v])
      .filter(([, v]) => v !== undefined),
  );
  return { ...prior, data: kept } as KubeObject;
}

/** What of an object a restore compares and writes: everything but status and server metadata. */
function restorable(object: KubeObject): Record<string, unknown> {
  const { status: _status, metadata, ...rest } = object;
  const meta: Record<string, unknown> = { ...metadata };
  for (const key of SERVER_METADATA) delete meta[key];
  // Name and namespace identify the object; they are in the URL, not in the patch.
  delete meta.name;
  delete meta.namespace;
  delete meta.ownerReferences;
  return { ...rest, metadata: meta };
}

/** A prior object as it can be created again. */
function recreatable(object: KubeObject): PlanObject {
  const { status: _status, ...rest } = object;
  const metadata: Record<string, unknown> = { ...object.metadata };
  for (const key of SERVER_METADATA) delete metadata[key];
  return { ...rest, metadata } as PlanObject;
}

/**
 * The plan that undoes an operation's changes: for every object its steps touched (the state
 * before the first step that touched it), newest first: delete what did not exist, patch back
 * what changed, recreate what was deleted. Pure: `live` is the current object per key.
 */
export function revertPlan(
  operation: Pick<Operation, 'id' | 'request' | 'summary'>,
  priors: PriorState[],
  live: (key: string) => KubeObject | undefined,
): Plan {
  const earliest = new Map<string, PriorState>();
  for (const p of [...priors].sort((a, b) => a.step - b.step)) {
    const key = objectKey(p.ref);
    if (!earliest.has(key)) earliest.set(key, p);
  }
  const steps: PlanStep[] = [];
  const reason = `restore the state before operation ${operation.id}`;
  for (const stored of [...earliest.values()].reverse()) {
    const current = live(objectKey(stored.ref));
    const p = stored.prior
      ? { ...stored, prior: withoutRedacted(stored.prior, current) }
      : stored;
    const name = formatObjectRef(p.ref);
    if (!p.prior) {
      if (current) {
        steps.push({
          type: 'delete',
          description: `Delete ${name} (it did not exist before)`,
          target: p.ref,
        });
        steps.push({
          type: 'wait',
          description: `Wait for ${name} to be Deleted`,
          target: p.ref,
          condition: 'Deleted',
          timeoutSeconds: 120,
        });
      }
    } else if (!current) {
      steps.push({
        type: 'apply',
        description: `Recreate ${name} as it was`,
        object: recreatable(p.prior),
      });
    } else {
      const patch = mergePatchBetween(restorable(current), restorable(p.prior));
      if (patch) {
        steps.push({
          type: 'patch',
          description: `Patch ${name}: ${reason}`,
          target: p.ref,
          patch,
          reason,
        });
      }
    }
  }
  return {
    request: operation.request,
    summary: `Revert: ${operation.summary}`,
    steps,
  };
}
