/**
 * How bad a validation finding is. `error` breaks traffic or is rejected by the mesh, `warning`
 * is very likely a mistake, `info` is advice.
 * @public
 */
export type FindingSeverity = 'error' | 'warning' | 'info';

/** The Kubernetes object a finding is about. `namespace` is absent for cluster-scoped objects. @public */
export interface ResourceRef {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

/**
 * Where a finding is in a user's file. `line` and `column` are 1-based; `file` is the path as the
 * caller gave it (the CLI prints it relative to the working directory).
 * @public
 */
export interface SourcePosition {
  file: string;
  line: number;
  column: number;
}

/**
 * One problem found by a validation analyzer.
 * @public
 */
export interface Finding {
  /** Stable code, e.g. `MS0201`; documented in `docs/validation-codes.md`. */
  code: string;
  severity: FindingSeverity;
  message: string;
  /** The object the finding is about; absent for findings about a whole file (e.g. bad YAML). */
  resource?: ResourceRef;
  /** JSON pointer (RFC 6901) into `resource`, e.g. `/spec/http/0/route/0/destination/host`. */
  path?: string;
  /** Set when the resource came from a file. */
  source?: SourcePosition;
  /** URL of the code's documentation. */
  docs?: string;
  /** The `istioctl analyze` code with the same meaning, e.g. `IST0101`, so suppressions map. */
  istioCode?: string;
  /** True when a suppression matched: the finding is shown as suppressed, never hidden. */
  suppressed?: boolean;
  /** What suppressed it: `annotation` (on the resource) or `config` (a suppression list entry). */
  suppressedBy?: 'annotation' | 'config';
}

/** Where the finding codes are documented; a code's anchor is its lower-case code. @public */
export const VALIDATION_CODES_DOCS_URL =
  'https://github.com/meshstage/meshstage/blob/main/docs/validation-codes.md';

/** The documentation URL of one finding code, e.g. `...validation-codes.md#ms0201`. @public */
export function findingDocsUrl(code: string): string {
  return `${VALIDATION_CODES_DOCS_URL}#${code.toLowerCase()}`;
}

/** Severities from most to least severe, for sorting and thresholds. @public */
export const FINDING_SEVERITIES: readonly FindingSeverity[] = [
  'error',
  'warning',
  'info',
];

/**
 * Whether `severity` is at or above `threshold` (`error` is above `warning`, above `info`).
 * @public
 */
export function severityAtLeast(
  severity: FindingSeverity,
  threshold: FindingSeverity,
): boolean {
  return (
    FINDING_SEVERITIES.indexOf(severity) <=
    FINDING_SEVERITIES.indexOf(threshold)
  );
}
