import type { Plan } from '@meshstage/plugin-mesh-common';

/**
 * A plan as a reader skims it: the summary line, then one numbered line per step, e.g.
 * `Install Istio 1.23.4 on dev` / `1. Apply Namespace/istio-system` / ... The full diff (every
 * field) is what dry runs log; this is what templates show in their output. Pure.
 */
export function planText(plan: Plan): string {
  const steps = plan.steps.map((s, i) => `${i + 1}. ${s.description}`);
  return [plan.summary, ...(steps.length ? steps : ['(nothing to do)'])].join(
    '\n',
  );
}
