import type {
  BenchmarkStep,
  GateStep,
  ObjectRef,
  Plan,
  PlanObject,
  PlanStep,
} from '@meshstage/plugin-mesh-common';
import { formatObjectRef, objectRef } from '@meshstage/plugin-mesh-common';
import { compareManagedFields } from './compareManagedFields';

/** Options of {@link renderPlanDiff}. @public */
export interface PlanDiffOptions {
  /**
   * The live object for a reference, when known. Apply steps for existing objects then show only
   * the fields that change; without it every apply is shown as a new object.
   */
  existing?: (ref: ObjectRef) => PlanObject | undefined;
}

type Flat = Map<string, unknown>;

// Leaves of a merge patch by JSON pointer (as drift reports address fields); arrays are leaves
// because a merge patch replaces a list whole.
function flatten(value: unknown, prefix: string, out: Flat): Flat {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0 && prefix) out.set(prefix, {});
    for (const [key, child] of entries) {
      flatten(
        child,
        `${prefix}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`,
        out,
      );
    }
  } else if (prefix) {
    out.set(prefix, value);
  }
  return out;
}

const show = (value: unknown) => JSON.stringify(value);

function indent(text: string, marker: string): string[] {
  return text.split('\n').map(line => `${marker}   ${line}`);
}

function applyLines(object: PlanObject, options: PlanDiffOptions): string[] {
  const ref = objectRef(object);
  const live = options.existing?.(ref);
  if (!live) {
    return [
      `+ ${formatObjectRef(ref)}`,
      ...indent(JSON.stringify(object, null, 2), '+'),
    ];
  }
  // Server-side apply only sets the fields we name, so compare just those (list items with a
  // name matched by name, as the API server merges them).
  const changed = compareManagedFields(object, live);
  if (changed.length === 0) {
    return [`= ${formatObjectRef(ref)} (unchanged)`];
  }
  return [
    `~ ${formatObjectRef(ref)}`,
    ...changed.map(d =>
      'live' in d
        ? `~   ${d.path}: ${show(d.live)} → ${show(d.desired)}`
        : `+   ${d.path}: ${show(d.desired)}`,
    ),
  ];
}

function stepLines(step: PlanStep, options: PlanDiffOptions): string[] {
  switch (step.type) {
    case 'apply':
      return applyLines(step.object, options);
    case 'patch':
      return [
        `~ ${formatObjectRef(step.target)} (${step.reason})`,
        ...[...flatten(step.patch, '', new Map())].map(([path, value]) =>
          value === null ? `-   ${path}` : `~   ${path}: ${show(value)}`,
        ),
      ];
    case 'delete':
      return [`- ${formatObjectRef(step.target)}`];
    case 'wait':
      return [
        `… wait for ${formatObjectRef(step.target)} ${
          step.condition
        } (timeout ${step.timeoutSeconds}s)`,
      ];
    case 'benchmark':
      return benchmarkLines(step);
    case 'gate':
      return gateLines(step, options);
    default:
      return [];
  }
}

// Benchmark and gate steps change nothing by themselves: their bodies are plain text (no diff
// marker), indented like detail lines.
function benchmarkLines(step: BenchmarkStep): string[] {
  const p = step.profile;
  return [
    `  profile ${p.name}${
      step.profileId ? ` (${step.profileId})` : ''
    }: ${p.endpoints
      .map(e => `${(e.method ?? 'GET').toUpperCase()} ${e.url}`)
      .join(', ')}`,
    `  run recorded as the ${step.role} of this operation (Performance tab)`,
  ];
}

function gateLines(step: GateStep, options: PlanDiffOptions): string[] {
  const { budget } = step;
  const p99 = budget.p99Increase.endsWith('%')
    ? `${budget.p99Increase} of the baseline's p99`
    : budget.p99Increase;
  return [
    `  promote when, beyond run-to-run noise (the part of an increase outside the comparison's 95% interval), p99 rose by at most ${p99} and the error rate by at most ${budget.errorRateIncrease}`,
    `  else, in namespace ${step.namespace}:`,
    ...step.rollback.flatMap(s => [
      `    ${s.description}`,
      ...stepLines(s, options).map(line => `      ${line}`),
    ]),
    `  then stop: the operation fails (revert it to remove revision ${step.candidate.revision}, or resume it to measure again)`,
  ];
}

/**
 * Renders a plan as the text a user reviews on dry run: the summary, then each step numbered
 * with its description and a diff-like body. `+` new object (with its full JSON), `~` changed
 * fields (a merge patch, or an apply over a known live object), `-` deleted object or removed
 * field, `…` a wait; benchmark and gate steps (canary gates) say in indented text what they
 * measure and decide, and what the gate undoes when it fails. JSON rather than YAML because mesh-node does not depend on a YAML library.
 * Pure: no I/O.
 * @public
 */
export function renderPlanDiff(
  plan: Plan,
  options: PlanDiffOptions = {},
): string {
  const lines = [`# ${plan.summary}`];
  plan.steps.forEach((step, i) => {
    lines.push('', `## ${i + 1}. ${step.description}`);
    lines.push(...stepLines(step, options));
  });
  return `${lines.join('\n')}\n`;
}
