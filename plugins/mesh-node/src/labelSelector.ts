/** One requirement of a Kubernetes label selector string. @public */
export type LabelRequirement =
  | { key: string; op: '='; value: string }
  | { key: string; op: '!='; value: string }
  | { key: string; op: 'in' | 'notin'; values: string[] }
  | { key: string; op: 'exists' | '!exists' };

/**
 * Parses a label selector as the Kubernetes plugin's annotation holds it
 * (`app=reviews,version in (v1,v2),!canary`). Throws on a selector the API server would reject.
 * @public
 */
export function parseLabelSelector(selector: string): LabelRequirement[] {
  const out: LabelRequirement[] = [];
  // Split on commas outside parentheses.
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of selector) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  parts.push(current);
  for (const raw of parts) {
    const part = raw.trim();
    if (!part) continue;
    let m = /^([\w./-]+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(part);
    if (m) {
      out.push({
        key: m[1],
        op: m[2] as 'in' | 'notin',
        values: m[3]
          .split(',')
          .map(v => v.trim())
          .filter(Boolean),
      });
      continue;
    }
    m = /^([\w./-]+)\s*(==|=|!=)\s*([\w.-]*)$/.exec(part);
    if (m) {
      out.push(
        m[2] === '!='
          ? { key: m[1], op: '!=', value: m[3] }
          : { key: m[1], op: '=', value: m[3] },
      );
      continue;
    }
    m = /^(!?)\s*([\w./-]+)$/.exec(part);
    if (m) {
      out.push({ key: m[2], op: m[1] ? '!exists' : 'exists' });
      continue;
    }
    throw new Error(`Invalid label selector '${selector}' at '${part}'`);
  }
  return out;
}

/** Whether labels satisfy every requirement. @public */
export function requirementsMatch(
  requirements: LabelRequirement[],
  labels: Record<string, string>,
): boolean {
  for (const r of requirements) {
    const has = Object.prototype.hasOwnProperty.call(labels, r.key);
    const value = labels[r.key];
    switch (r.op) {
      case '=':
        if (value !== r.value) return false;
        break;
      case '!=':
        if (has && value === r.value) return false;
        break;
      case 'in':
        if (!has || !r.values.includes(value)) return false;
        break;
      case 'notin':
        if (has && r.values.includes(value)) return false;
        break;
      case 'exists':
        if (!has) return false;
        break;
      case '!exists':
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}
