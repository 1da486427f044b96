import type { Finding, FindingSummary } from '@meshstage/plugin-mesh-common';

export type { FindingSummary };

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
