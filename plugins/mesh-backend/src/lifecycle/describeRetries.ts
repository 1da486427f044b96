import type { RetriedRequest } from '../cluster';

/** At most this many requests are named in one step's line; the rest are counted. */
const MAX_NAMED = 5;

/** `503 Service Unavailable ×2, connection reset`: each reason once, in first-seen order. */
function countReasons(reasons: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const r of reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
  return [...counts]
    .map(([reason, n]) => (n > 1 ? `${reason} ×${n}` : reason))
    .join(', ');
}

/**
 * What a step's cluster requests needed beyond one attempt each, for the step's log line:
 * `apply /api/v1/namespaces/istio-system/configmaps/istio after 3 attempts (2 retried: 503 Service
 * Unavailable, connection reset)`. The same request made several times (a wait step's polls) is
 * counted once with its attempts added up; requests are joined with `; `, at most five named.
 * `undefined` when nothing was retried. Pure.
 */
export function describeRetries(
  retried: readonly RetriedRequest[],
): string | undefined {
  if (retried.length === 0) return undefined;
  const groups = new Map<string, RetriedRequest[]>();
  for (const r of retried) {
    groups.set(r.request, [...(groups.get(r.request) ?? []), r]);
  }
  const parts = [...groups].map(([request, made]) => {
    const attempts = made.reduce((sum, r) => sum + r.attempts, 0);
    const failures = made.flatMap(r => r.failures);
    const unanswered = made.filter(r => !r.answered).length;
    const reasons = countReasons(failures);
    const what =
      made.length > 1 ? `${request} (${made.length} times)` : request;
    if (unanswered === 0) {
      return `${what} after ${attempts} attempts (${failures.length} retried: ${reasons})`;
    }
    if (made.length === 1) {
      return `${what} failed after ${attempts} attempts (${reasons})`;
    }
    return `${what} after ${attempts} attempts, ${unanswered} of them failing (${reasons})`;
  });
  const named = parts.slice(0, MAX_NAMED).join('; ');
  const more = parts.length - MAX_NAMED;
  return more > 0
    ? `${named}; and ${more} more request${more > 1 ? 's' : ''} retried`
    : named;
}
