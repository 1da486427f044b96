import { ApiError } from '../server/status';
import { compareStrings } from '../util/objects';

export type LabelOperator =
  | '='
  | '!='
  | 'in'
  | 'notin'
  | 'exists'
  | '!'
  | 'gt'
  | 'lt';

/** One requirement of a label selector, e.g. `tier in (a,b)`. */
export interface LabelRequirement {
  key: string;
  op: LabelOperator;
  values: string[];
}

export type Labels = Record<string, string> | undefined;

/** A parsed label selector: all requirements must hold. An empty selector matches everything. */
export type LabelSelector = LabelRequirement[];

/** The LabelSelector API type (matchLabels / matchExpressions). */
export interface LabelSelectorSpec {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

const KEY_RE =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const VALUE_RE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

function parseError(msg: string): ApiError {
  return new ApiError(400, 'BadRequest', `unable to parse requirement: ${msg}`);
}

function checkKey(key: string): void {
  if (!KEY_RE.test(key) || key.length > 316) {
    throw parseError(
      `key: Invalid value: ${JSON.stringify(
        key,
      )}: name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`,
    );
  }
}

function checkValue(key: string, value: string): void {
  if (!VALUE_RE.test(value) || value.length > 63) {
    throw parseError(
      `values[0][${key}]: Invalid value: ${JSON.stringify(
        value,
      )}: a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`,
    );
  }
}

/** Tokenizer for the label selector string syntax. */
function tokenize(input: string): string[] {
  const tokens: string[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i];
    if (c === ' ' || c === '\t') {
      i++;
    } else if (c === '(' || c === ')' || c === ',') {
      tokens.push(c);
      i++;
    } else if (c === '!' && input[i + 1] === '=') {
      tokens.push('!=');
      i += 2;
    } else if (c === '=' && input[i + 1] === '=') {
      tokens.push('==');
      i += 2;
    } else if (c === '=' || c === '!' || c === '>' || c === '<') {
      tokens.push(c);
      i++;
    } else {
      let j = i;
      while (j < input.length && !' \t(),=!<>'.includes(input[j])) j++;
      tokens.push(input.slice(i, j));
      i = j;
    }
  }
  return tokens;
}

const SYMBOLS = new Set(['(', ')', ',', '!=', '==', '=', '!', '>', '<']);

/**
 * Parses the label selector query syntax (`a=b,c!=d,e in (f,g),h notin (i),j,!k`).
 * Throws a 400 ApiError on syntax errors, as the API server does.
 */
export function parseLabelSelector(input: string | undefined): LabelSelector {
  if (!input || !input.trim()) return [];
  const t = tokenize(input);
  const reqs: LabelRequirement[] = [];
  let p = 0;
  const peek = () => t[p];
  const next = () => t[p++];
  while (p < t.length) {
    let key: string;
    if (peek() === '!') {
      next();
      key = next() ?? '';
      if (!key || SYMBOLS.has(key))
        throw parseError(`found '${key ?? ''}', expected: identifier`);
      checkKey(key);
      reqs.push({ key, op: '!', values: [] });
    } else {
      key = next();
      if (SYMBOLS.has(key))
        throw parseError(
          `found '${key}', expected: !, identifier, or 'end of string'`,
        );
      checkKey(key);
      const op = peek();
      if (op === undefined || op === ',') {
        reqs.push({ key, op: 'exists', values: [] });
      } else if (op === '=' || op === '==' || op === '!=') {
        next();
        let value = peek();
        if (value === undefined || value === ',') value = '';
        else if (SYMBOLS.has(value))
          throw parseError(`found '${value}', expected: identifier`);
        else next();
        checkValue(key, value);
        reqs.push({ key, op: op === '!=' ? '!=' : '=', values: [value] });
      } else if (op === '>' || op === '<') {
        next();
        const value = next();
        if (value === undefined || !/^-?\d+$/.test(value)) {
          throw parseError(
            `for 'Gt', 'Lt' operators, the value must be an integer`,
          );
        }
        reqs.push({ key, op: op === '>' ? 'gt' : 'lt', values: [value] });
      } else if (op === 'in' || op === 'notin') {
        next();
        if (next() !== '(')
          throw parseError(`found '${t[p - 1] ?? ''}', expected: '('`);
        const values: string[] = [];
        while (peek() !== ')') {
          const v = next();
          if (v === undefined) throw parseError(`found '', expected: ')'`);
          if (v === ',') continue;
          if (SYMBOLS.has(v))
            throw parseError(`found '${v}', expected: ',', ')' or identifier`);
          checkValue(key, v);
          values.push(v);
        }
        next();
        reqs.push({ key, op, values });
      } else {
        throw parseError(
          `found '${op}', expected: in, notin, =, ==, !=, gt, lt`,
        );
      }
    }
    if (p < t.length) {
      if (next() !== ',')
        throw parseError(
          `found '${t[p - 1]}', expected: ',' or 'end of string'`,
        );
      if (p >= t.length)
        throw parseError(`found '', expected: identifier after ','`);
    }
  }
  return reqs;
}

/** Converts a LabelSelector API object into requirements. Null selector matches nothing. */
export function selectorFromSpec(
  spec: LabelSelectorSpec | undefined | null,
): LabelSelector | null {
  if (!spec) return null;
  const reqs: LabelRequirement[] = [];
  for (const [key, value] of Object.entries(spec.matchLabels ?? {})) {
    reqs.push({ key, op: '=', values: [String(value)] });
  }
  for (const e of spec.matchExpressions ?? []) {
    const op = e.operator;
    if (op === 'In')
      reqs.push({ key: e.key, op: 'in', values: e.values ?? [] });
    else if (op === 'NotIn')
      reqs.push({ key: e.key, op: 'notin', values: e.values ?? [] });
    else if (op === 'Exists')
      reqs.push({ key: e.key, op: 'exists', values: [] });
    else if (op === 'DoesNotExist')
      reqs.push({ key: e.key, op: '!', values: [] });
  }
  return reqs;
}

/** True when the labels satisfy every requirement. */
export function matchesLabels(
  selector: LabelSelector,
  labels: Labels,
): boolean {
  const l = labels ?? {};
  for (const r of selector) {
    const has = Object.prototype.hasOwnProperty.call(l, r.key);
    const v = l[r.key];
    switch (r.op) {
      case '=':
        if (!has || v !== r.values[0]) return false;
        break;
      case '!=':
        if (has && v === r.values[0]) return false;
        break;
      case 'in':
        if (!has || !r.values.includes(v)) return false;
        break;
      case 'notin':
        if (has && r.values.includes(v)) return false;
        break;
      case 'exists':
        if (!has) return false;
        break;
      case '!':
        if (has) return false;
        break;
      case 'gt':
      case 'lt': {
        if (!has || !/^-?\d+$/.test(v)) return false;
        const n = Number(v);
        const bound = Number(r.values[0]);
        if (r.op === 'gt' ? !(n > bound) : !(n < bound)) return false;
        break;
      }
      default:
        return false;
    }
  }
  return true;
}

/** The canonical string form (sorted by key), as labels.Selector.String(). */
export function formatLabelSelector(selector: LabelSelector): string {
  return [...selector]
    .sort((a, b) => compareStrings(a.key, b.key))
    .map(r => {
      switch (r.op) {
        case '=':
          return `${r.key}=${r.values[0]}`;
        case '!=':
          return `${r.key}!=${r.values[0]}`;
        case 'in':
          return `${r.key} in (${[...r.values].sort().join(',')})`;
        case 'notin':
          return `${r.key} notin (${[...r.values].sort().join(',')})`;
        case 'exists':
          return r.key;
        case '!':
          return `!${r.key}`;
        case 'gt':
          return `${r.key}>${r.values[0]}`;
        case 'lt':
          return `${r.key}<${r.values[0]}`;
        default:
          return '';
      }
    })
    .join(',');
}

/** metav1.FormatLabelSelector: the selector string or `<none>`. */
export function formatLabelSelectorSpec(
  spec: LabelSelectorSpec | undefined | null,
): string {
  const sel = selectorFromSpec(spec);
  if (!sel || sel.length === 0) return '<none>';
  return formatLabelSelector(sel);
}
