import type { KubeObject } from '@meshstage/plugin-mesh-node';
import { specOf } from '../common';

/** `workloadSelector` as Istio reads it: absent (null too), or present with its labels. */
export function workloadSelector(
  obj: KubeObject,
): { labels: Record<string, unknown> } | undefined {
  const ws = specOf(obj).workloadSelector;
  if (ws === undefined || ws === null || typeof ws !== 'object')
    return undefined;
  const labels = (ws as Record<string, unknown>).labels;
  return {
    labels:
      labels && typeof labels === 'object'
        ? (labels as Record<string, unknown>)
        : {},
  };
}

/**
 * Whether Istio rejects the selector (an empty key, a `*` in a key or value): its validation then
 * returns the error alone, dropping every warning of the resource.
 */
export function selectorRejected(labels: Record<string, unknown>): boolean {
  return Object.entries(labels).some(
    ([k, v]) => k === '' || k.includes('*') || String(v).includes('*'),
  );
}

/** The second half of Istio's text for a selector without labels. */
export const NO_LABELS =
  'workload selector specified without labels, will be applied to all services in namespace';
