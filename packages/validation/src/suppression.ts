import type { Finding } from '@meshstage/plugin-mesh-common';
import type { KubeObject } from '@meshstage/plugin-mesh-node';
import { annotationOf } from '@meshstage/plugin-mesh-node';

/** MeshStage's suppression annotation: a comma-separated list of codes (`*` for all). @public */
export const SUPPRESS_ANNOTATION = 'meshstage.io/analyze-suppress';
/** Istio's suppression annotation, honoured so that `istioctl analyze` users keep theirs. @public */
export const ISTIO_SUPPRESS_ANNOTATION = 'galley.istio.io/analyze-suppress';

/**
 * A configured suppression: findings of `code` (a MeshStage or istioctl code, or `*`) on
 * resources matching `resource`, a `Kind/namespace/name` pattern (`Kind/name` for cluster-scoped
 * objects) where `*` matches any run of characters; every resource when absent.
 * @public
 */
export interface Suppression {
  code: string;
  resource?: string;
}

/**
 * Parses a command-line suppression, `CODE` or `CODE=Kind/namespace/name`.
 * @public
 */
export function parseSuppression(text: string): Suppression {
  const eq = text.indexOf('=');
  if (eq < 0) return { code: text.trim() };
  return {
    code: text.slice(0, eq).trim(),
    resource: text.slice(eq + 1).trim(),
  };
}

function codeMatches(pattern: string, finding: Finding): boolean {
  const p = pattern.trim().toUpperCase();
  return p === '*' || p === finding.code || p === finding.istioCode;
}

function globToRegExp(glob: string): RegExp {
  const escaped = glob
    .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*');
  // Kinds are matched case-insensitively (`deployment/...` is as good as `Deployment/...`).
  return new RegExp(`^${escaped}$`, 'i');
}

function resourceMatches(
  pattern: string | undefined,
  finding: Finding,
): boolean {
  if (!pattern || pattern === '*') return true;
  const r = finding.resource;
  if (!r) return false;
  const name =
    r.namespace !== undefined
      ? `${r.kind}/${r.namespace}/${r.name}`
      : `${r.kind}/${r.name}`;
  return globToRegExp(pattern).test(name);
}

/**
 * Marks findings suppressed by an annotation on their resource or by a configured suppression.
 * Suppressed findings are kept (`suppressed: true`) so reports show them, not hide them. Pure.
 * @public
 */
export function applySuppressions(
  findings: Finding[],
  lookup: (finding: Finding) => KubeObject | undefined,
  suppressions: readonly Suppression[] = [],
): Finding[] {
  return findings.map(f => {
    const obj = lookup(f);
    if (obj) {
      const codes = [SUPPRESS_ANNOTATION, ISTIO_SUPPRESS_ANNOTATION]
        .map(a => annotationOf(obj, a))
        .filter((v): v is string => Boolean(v))
        .flatMap(v => v.split(','));
      if (codes.some(c => codeMatches(c, f))) {
        return { ...f, suppressed: true, suppressedBy: 'annotation' as const };
      }
    }
    if (
      suppressions.some(
        s => codeMatches(s.code, f) && resourceMatches(s.resource, f),
      )
    ) {
      return { ...f, suppressed: true, suppressedBy: 'config' as const };
    }
    return f;
  });
}
