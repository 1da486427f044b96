import { isObject } from '../util/objects';

type Step =
  | { field: string }
  | { index: number }
  | { all: true }
  | { filter: { path: string[]; op: string; value: string } };

function parse(expr: string): Step[] {
  const steps: Step[] = [];
  let s = expr
    .trim()
    .replace(/^\{|\}$/g, '')
    .replace(/^\$/, '');
  while (s.length > 0) {
    if (s.startsWith('.')) {
      s = s.slice(1);
      const m = /^[^.[]+/.exec(s);
      if (m) {
        steps.push({ field: m[0] });
        s = s.slice(m[0].length);
      }
    } else if (s.startsWith('[')) {
      const end = s.indexOf(']');
      if (end < 0) break;
      const inner = s.slice(1, end).trim();
      s = s.slice(end + 1);
      if (inner === '*') steps.push({ all: true });
      else if (/^-?\d+$/.test(inner)) steps.push({ index: Number(inner) });
      else if (/^'.*'$|^".*"$/.test(inner))
        steps.push({ field: inner.slice(1, -1) });
      else {
        const f = /^\?\(@\.([\w.\-/]+)\s*(==|!=)\s*['"]?([^'")]*)['"]?\)$/.exec(
          inner,
        );
        if (f)
          steps.push({
            filter: { path: f[1].split('.'), op: f[2], value: f[3] },
          });
      }
    } else {
      const m = /^[^.[]+/.exec(s);
      if (!m) break;
      steps.push({ field: m[0] });
      s = s.slice(m[0].length);
    }
  }
  return steps;
}

/**
 * Evaluates the small JSONPath subset CRD printer columns use
 * (`.spec.replicas`, `.status.conditions[?(@.type=="Ready")].status`, `[0]`, `[*]`).
 */
export function evalJsonPath(obj: unknown, expr: string): unknown[] {
  let cur: unknown[] = [obj];
  for (const step of parse(expr)) {
    const next: unknown[] = [];
    for (const v of cur) {
      if ('field' in step) {
        if (isObject(v) && v[step.field] !== undefined)
          next.push(v[step.field]);
      } else if ('index' in step) {
        if (Array.isArray(v)) {
          const i = step.index < 0 ? v.length + step.index : step.index;
          if (v[i] !== undefined) next.push(v[i]);
        }
      } else if ('all' in step) {
        if (Array.isArray(v)) next.push(...v);
        else if (isObject(v)) next.push(...Object.values(v));
      } else if ('filter' in step) {
        if (!Array.isArray(v)) continue;
        for (const item of v) {
          let x: unknown = item;
          for (const p of step.filter.path) x = isObject(x) ? x[p] : undefined;
          const eq = String(x) === step.filter.value;
          if (step.filter.op === '==' ? eq : !eq) next.push(item);
        }
      }
    }
    cur = next;
  }
  return cur;
}
