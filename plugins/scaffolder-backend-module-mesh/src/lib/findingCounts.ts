import {
  type Finding,
  type FindingSeverity,
  severityAtLeast,
} from '@meshstage/plugin-mesh-common';

/** The threshold `mesh:validate` fails at, as `meshstage validate --fail-on` takes it. */
export type FailOn = FindingSeverity | 'never';

/** Findings counted by severity; suppressed findings count as suppressed only. */
export interface FindingCounts {
  errors: number;
  warnings: number;
  infos: number;
  suppressed: number;
}

/** Counts findings by severity. Pure. */
export function countFindings(findings: readonly Finding[]): FindingCounts {
  const counts = { errors: 0, warnings: 0, infos: 0, suppressed: 0 };
  for (const f of findings) {
    if (f.suppressed) counts.suppressed++;
    else if (f.severity === 'error') counts.errors++;
    else if (f.severity === 'warning') counts.warnings++;
    else counts.infos++;
  }
  return counts;
}

/**
 * The findings that fail the step: not suppressed, at or above `failOn` (the same rule as
 * `meshstage validate --fail-on`). Pure.
 */
export function failingFindings(
  findings: readonly Finding[],
  failOn: FailOn,
): Finding[] {
  if (failOn === 'never') return [];
  return findings.filter(
    f => !f.suppressed && severityAtLeast(f.severity, failOn),
  );
}
