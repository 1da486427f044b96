import type { SchemaWarning } from './warning';
import { absent, obj } from './warning';

/**
 * The warning for a `matchLabels` selector (policies' `selector`, a DestinationRule's
 * `workloadSelector`) present without labels. Istio gives it beside any other error.
 */
export function emptyMatchLabels(
  selector: unknown,
  path: string,
): SchemaWarning[] {
  if (absent(selector)) return [];
  if (Object.keys(obj(obj(selector).matchLabels)).length > 0) return [];
  return [{ path, text: 'workload selector specified without labels' }];
}
