/**
 * The dry-run diff of a plan (mesh-node's `renderPlanDiff`), read line by line. It is not a
 * unified diff: `# summary`, then per step `## n. description` and a body whose lines start with
 * `+` (new object, or added field), `~` (changed object or field), `-` (deleted object or removed
 * field), `=` (unchanged object) or `… wait`. Object lines are `X Kind/ns/name`; their detail
 * lines are indented (`X   ...`).
 */

/** What a line of a plan diff says. */
export type PlanDiffLineKind =
  | 'summary'
  | 'step'
  | 'add'
  | 'change'
  | 'remove'
  | 'unchanged'
  | 'wait'
  | 'blank'
  | 'text';

/** One classified line. */
export interface PlanDiffLine {
  kind: PlanDiffLineKind;
  /** The line as written. */
  text: string;
  /** True for the indented detail lines under an object line (`+   ...`, `~   /path: ...`). */
  detail: boolean;
}

/** One numbered step with its body. */
export interface PlanDiffStep {
  /** 1-based, as printed. */
  number: number;
  /** The step's description (after `## n. `). */
  title: string;
  lines: PlanDiffLine[];
  /** Object lines (not detail lines) by kind, for a step's one-line summary. */
  counts: {
    add: number;
    change: number;
    remove: number;
    unchanged: number;
    wait: number;
  };
}

/** A whole plan diff. */
export interface ParsedPlanDiff {
  /** The `# ` line, when present. */
  summary?: string;
  /** Lines before the first step other than the summary and blanks (normally none). */
  preamble: PlanDiffLine[];
  steps: PlanDiffStep[];
}

const STEP = /^## (\d+)\. (.*)$/;
const MARKS: Record<string, PlanDiffLineKind> = {
  '+': 'add',
  '~': 'change',
  '-': 'remove',
  '=': 'unchanged',
};

/** Classifies one line of a plan diff by its prefix. */
export function classifyPlanDiffLine(text: string): PlanDiffLine {
  if (text.trim() === '') return { kind: 'blank', text, detail: false };
  if (STEP.test(text)) return { kind: 'step', text, detail: false };
  if (text.startsWith('# ') || text === '#') {
    return { kind: 'summary', text, detail: false };
  }
  if (text.startsWith('…') || text.startsWith('...')) {
    return { kind: 'wait', text, detail: false };
  }
  const kind = MARKS[text[0]];
  if (kind && (text.length === 1 || text[1] === ' ')) {
    return { kind, text, detail: text.startsWith('   ', 1) };
  }
  return { kind: 'text', text, detail: false };
}

const emptyCounts = () => ({
  add: 0,
  change: 0,
  remove: 0,
  unchanged: 0,
  wait: 0,
});

/** Splits a plan diff into its summary and numbered steps. Pure. */
export function parsePlanDiff(diff: string): ParsedPlanDiff {
  const result: ParsedPlanDiff = { preamble: [], steps: [] };
  let current: PlanDiffStep | undefined;
  for (const text of diff.replace(/\r\n/g, '\n').split('\n')) {
    const line = classifyPlanDiffLine(text);
    if (line.kind === 'step') {
      const [, number, title] = STEP.exec(text)!;
      current = {
        number: Number(number),
        title,
        lines: [],
        counts: emptyCounts(),
      };
      result.steps.push(current);
      continue;
    }
    if (line.kind === 'summary' && !current && result.summary === undefined) {
      result.summary = text.replace(/^#\s?/, '');
      continue;
    }
    if (line.kind === 'blank') continue;
    if (!current) {
      result.preamble.push(line);
      continue;
    }
    current.lines.push(line);
    if (!line.detail && line.kind in current.counts) {
      current.counts[line.kind as keyof PlanDiffStep['counts']] += 1;
    }
  }
  return result;
}

/** `+1 ~2 -1 =3 …1`-style words for a step's counts: `1 new, 2 changed, 1 deleted, 1 wait`. */
export function describeStepCounts(counts: PlanDiffStep['counts']): string {
  const parts: string[] = [];
  if (counts.add) parts.push(`${counts.add} new`);
  if (counts.change) parts.push(`${counts.change} changed`);
  if (counts.remove) parts.push(`${counts.remove} deleted`);
  if (counts.unchanged) parts.push(`${counts.unchanged} unchanged`);
  if (counts.wait)
    parts.push(counts.wait === 1 ? 'wait' : `${counts.wait} waits`);
  return parts.join(', ');
}
