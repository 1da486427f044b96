import type { Finding } from '@meshstage/plugin-mesh-common';

/** Counts of a set of findings; a suppressed finding counts as suppressed only. */
export interface FindingSummary {
  error: number;
  warning: number;
  info: number;
  suppressed: number;
}

/** Counts findings as the CLI's text report does (suppressed ones apart). Pure. */
export function summarizeFindings(
  findings: readonly Finding[],
): FindingSummary {
  const summary: FindingSummary = {
    error: 0,
    warning: 0,
    info: 0,
    suppressed: 0,
  };
  for (const f of findings) {
    if (f.suppressed) summary.suppressed++;
    else summary[f.severity]++;
  }
  return summary;
}
