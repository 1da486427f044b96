/** One requirement of a label selector. */
type Requirement =
  | { key: string; op: 'exists' | 'notExists' }
  | { key: string; op: 'in' | 'notIn'; values: string[] };

function splitTopLevel(selector: string): string[] {
  // Commas separate requirements, except inside the value list of `in (a,b)`.
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
  return parts.map(p => p.trim()).filter(Boolean);
}

function parseRequirement(text: string): Requirement {
  const set = /^(\S+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(text);
  if (set) {
    const values = set[3]
      .split(',')
      .map(v => v.trim())
      .filter(Boolean);
    return { key: set[1], op: set[2] === 'in' ? 'in' : 'notIn', values };
  }
  const cmp = /^([^!=\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(text);
  if (cmp) {
    return {
      key: cmp[1],
      op: cmp[2] === '!=' ? 'notIn' : 'in',
      values: [cmp[3]],
    };
  }
  if (/^!\s*\S+$/.test(text)) {
    return { key: text.slice(1).trim(), op: 'notExists' };
  }
  if (/^\S+$/.test(text)) {
    return { key: text, op: 'exists' };
  }
  throw new Error(`Invalid label selector requirement '${text}'`);
}

/**
 * Whether labels match a Kubernetes label selector string (equality `a=b`, `a==b`, `a!=b`,
 * set `a in (x,y)`, `a notin (x)`, existence `a`, `!a`), as the API server evaluates it.
 * An empty selector matches everything. Throws on a selector the API server would reject.
 * @public
 */
export function matchesLabelSelector(
  labels: Record<string, string> | undefined,
  selector: string | undefined,
): boolean {
  if (!selector?.trim()) {
    return true;
  }
  const l = labels ?? {};
  return splitTopLevel(selector)
    .map(parseRequirement)
    .every(r => {
      const has = Object.prototype.hasOwnProperty.call(l, r.key);
      switch (r.op) {
        case 'exists':
          return has;
        case 'notExists':
          return !has;
        case 'in':
          return has && r.values.includes(l[r.key]);
        case 'notIn':
          return !has || !r.values.includes(l[r.key]);
        default:
          return false;
      }
    });
}
