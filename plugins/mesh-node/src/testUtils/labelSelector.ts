import { parseLabelSelector, requirementsMatch } from '../labelSelector';

/**
 * Whether labels match a Kubernetes label selector string (equality `a=b`, `a==b`, `a!=b`,
 * set `a in (x,y)`, `a notin (x)`, existence `a`, `!a`), as the API server evaluates it.
 * An empty selector matches everything. Throws on a selector the API server would reject.
 * @public
 */
export function matchesLabelSelector(
  labels: Record<string, string> | undefined,
  selector: string | undefined,
): boolean {
  if (!selector?.trim()) {
    return true;
  }
  return requirementsMatch(parseLabelSelector(selector), labels ?? {});
}
