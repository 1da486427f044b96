/**
 * The fault spec language of `kube-sim --faults` and `sim.faults.set()`: what a spec says, and its
 * parser. Pure.
 *
 * A spec is one or more rules separated by `;`. A rule is `key=value` items separated by `,`:
 * faults (`error500=0.1`, `throttle429=0.2:retryAfter=2`, `latency=200ms`, `dropWatch=30s` ...),
 * the requests it applies to (`verbs=patch,delete`, `resources=deployments.apps`, `namespaces=`,
 * `names=`, `paths=`), and how many (`skip=2`, `count=1`). Spec-wide settings (`seed=42`,
 * `restart=60s:down=2s`) may sit in any rule, once. See the package README, "Faults".
 */

/** The Kubernetes verbs a request can have (RBAC's names). */
export const KUBE_VERBS = [
  'get',
  'list',
  'watch',
  'create',
  'update',
  'patch',
  'delete',
  'deletecollection',
] as const;

export type KubeVerb = (typeof KUBE_VERBS)[number];

/** Faults that answer a request with an error status instead of serving it. */
export const ERROR_FAULTS = {
  error500: 500,
  error503: 503,
  error504: 504,
  conflict409: 409,
  throttle429: 429,
  forbidden403: 403,
  invalid422: 422,
} as const;

export type ErrorFaultKind = keyof typeof ERROR_FAULTS;

/** A fault that ends a request: an error answer, or the connection cut. */
export type TerminalFaultKind = ErrorFaultKind | 'cut';

/** Where a `cut` fault ends the connection. */
export type CutPoint = 'request' | 'headers' | 'body';

/** One terminal fault of a rule and its chance. */
export interface TerminalFault {
  kind: TerminalFaultKind;
  /** 0 to 1. The terminal faults of one rule are exclusive: their chances add up to at most 1. */
  probability: number;
  /** `Retry-After` seconds (throttle429, error503, error504). */
  retryAfterSeconds?: number;
  /** For `cut`: before the request is served, after the response headers, or halfway through the body. */
  cutAt?: CutPoint;
}

/** Which requests a rule applies to; an absent list matches everything. */
export interface FaultScope {
  verbs?: KubeVerb[];
  /** `plural`, `plural.group` or `plural/subresource` (`deployments.apps`, `pods/log`). */
  resources?: string[];
  namespaces?: string[];
  /** Object names as they appear in the URL (a create names its object only in the body). */
  names?: string[];
  /** URL path prefixes. */
  paths?: string[];
}

/** One rule of a spec. */
export interface FaultRule {
  /** The rule as written, for records and messages. */
  text: string;
  /** Delay before serving, uniform between the bounds (equal for a fixed latency). */
  latency?: { minMs: number; maxMs: number };
  faults: TerminalFault[];
  /** Watches this rule applies to end this long after they start. */
  dropWatch?: { afterMs: number; mode: 'reset' | 'end' };
  scope: FaultScope;
  /** Matching requests let through before the rule acts. */
  skip: number;
  /** Matching requests the rule acts on; unlimited when absent. */
  count?: number;
}

/** A parsed spec. */
export interface FaultSpec {
  rules: FaultRule[];
  /** Seed of the fault choices, so a run can be repeated; random when absent. */
  seed?: number;
  /** Restart the API server every `everyMs`, refusing connections for `downMs`. */
  restart?: { everyMs: number; downMs: number };
}

/** A spec that cannot be parsed; the message names the bad part, on one line. */
export class FaultSpecError extends Error {}

const LIST_KEYS = [
  'verbs',
  'resources',
  'namespaces',
  'names',
  'paths',
] as const;
type ListKey = (typeof LIST_KEYS)[number];

const FAULT_KEYS = [
  'latency',
  ...Object.keys(ERROR_FAULTS),
  'cut',
  'dropWatch',
];
const KNOWN_KEYS = [
  ...FAULT_KEYS,
  ...LIST_KEYS,
  'skip',
  'count',
  'seed',
  'restart',
];

/** The options each terminal fault takes. */
const FAULT_OPTIONS: Record<string, string[]> = {
  throttle429: ['retryAfter'],
  error503: ['retryAfter'],
  error504: ['retryAfter'],
  cut: ['at'],
};

const fail = (message: string): never => {
  throw new FaultSpecError(message);
};

/** `200ms`, `1.5s`, `2m` in milliseconds. */
export function parseDurationMs(text: string, item: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)$/.exec(text);
  if (!m)
    return fail(
      `"${item}": want a duration with a unit, such as 200ms, 2s or 1m`,
    );
  const factor = ({ ms: 1, s: 1000, m: 60_000 } as Record<string, number>)[
    m[2]
  ];
  return Math.round(Number(m[1]) * factor);
}

/** `0.1`, `1`, `10%` as a chance from 0 to 1. */
function parseProbability(text: string, item: string): number {
  const pct = /^(\d+(?:\.\d+)?)%$/.exec(text);
  let value = NaN;
  if (pct) value = Number(pct[1]) / 100;
  else if (/^(\d+(?:\.\d+)?|\.\d+)$/.test(text)) value = Number(text);
  if (!(value >= 0 && value <= 1))
    fail(`"${item}": want a chance from 0 to 1 (or 0% to 100%)`);
  return value;
}

function parseCount(text: string, item: string, min: number): number {
  if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > 2 ** 31)
    fail(`"${item}": want a whole number${min ? ` of at least ${min}` : ''}`);
  return Number(text);
}

/** Splits `value:opt=v:opt2=v2`, checking the option names against those allowed. */
function options(
  rest: string,
  item: string,
  allowed: string[],
): [string, Map<string, string>] {
  const [value, ...opts] = rest.split(':');
  const out = new Map<string, string>();
  for (const opt of opts) {
    const eq = opt.indexOf('=');
    const name = eq > 0 ? opt.slice(0, eq) : opt;
    if (!allowed.includes(name))
      fail(
        allowed.length
          ? `"${item}": unknown option "${name}" (${allowed.join(', ')})`
          : `"${item}": takes no options`,
      );
    if (eq <= 0 || eq === opt.length - 1)
      fail(`"${item}": option "${name}" needs a value (${name}=...)`);
    if (out.has(name)) fail(`"${item}": option "${name}" given twice`);
    out.set(name, opt.slice(eq + 1));
  }
  return [value, out];
}

function checkListValue(key: ListKey, value: string, item: string): void {
  if (!value) fail(`"${item}": empty value in ${key}`);
  if (key === 'verbs' && !(KUBE_VERBS as readonly string[]).includes(value))
    fail(`"${item}": unknown verb "${value}" (${KUBE_VERBS.join(', ')})`);
  if (
    key === 'resources' &&
    !/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9.-]+)?(\/[a-z]+)?$/.test(value)
  )
    fail(
      `"${item}": "${value}" is not a resource (plural, plural.group or plural/subresource)`,
    );
  if (key === 'paths' && !value.startsWith('/'))
    fail(`"${item}": path "${value}" must start with /`);
}

/**
 * Parses a fault spec. Throws {@link FaultSpecError} with a one-line reason naming the bad part:
 * an unknown key or option, a value out of range, a rule without a fault, chances adding up to
 * more than 1, a key given twice.
 */
export function parseFaultSpec(text: string): FaultSpec {
  const spec: FaultSpec = { rules: [] };
  if (!text.trim()) fail('the fault spec is empty');
  const ruleTexts = text.split(';').map(r => r.trim());
  ruleTexts.forEach((ruleText, index) => {
    if (!ruleText) fail(`rule ${index + 1} of "${text}" is empty`);
    const rule = parseRule(ruleText, spec);
    if (rule) spec.rules.push(rule);
  });
  return spec;
}

function parseRule(ruleText: string, spec: FaultSpec): FaultRule | undefined {
  const rule: FaultRule = {
    text: ruleText,
    faults: [],
    scope: {},
    skip: 0,
  };
  const seen = new Set<string>();
  let listKey: ListKey | undefined;
  let onlySettings = true;
  for (const raw of ruleText.split(',')) {
    const item = raw.trim();
    if (!item) fail(`empty item in "${ruleText}"`);
    const eq = item.indexOf('=');
    if (eq < 0) {
      // `verbs=patch,delete`: a bare word continues the list before it.
      if (!listKey)
        fail(
          `"${item}" is not key=value (a bare word may only continue ${LIST_KEYS.map(
            k => `${k}=`,
          ).join(', ')})`,
        );
      checkListValue(listKey!, item, item);
      rule.scope[listKey!]!.push(item as never);
      continue;
    }
    const key = item.slice(0, eq);
    const rest = item.slice(eq + 1);
    listKey = undefined;
    if (!KNOWN_KEYS.includes(key))
      fail(`unknown key "${key}" in "${item}" (${KNOWN_KEYS.join(', ')})`);
    if (seen.has(key)) fail(`"${key}" given twice in "${ruleText}"`);
    seen.add(key);
    if (key !== 'seed' && key !== 'restart') onlySettings = false;
    if (!rest) fail(`"${item}": missing value`);

    if ((LIST_KEYS as readonly string[]).includes(key)) {
      const [value] = options(rest, item, []);
      checkListValue(key as ListKey, value, item);
      rule.scope[key as ListKey] = [value] as never;
      listKey = key as ListKey;
    } else if (key === 'latency') {
      const [value] = options(rest, item, []);
      const range = /^([^-]+)-([^-]+)$/.exec(value);
      const minMs = parseDurationMs(range ? range[1] : value, item);
      const maxMs = range ? parseDurationMs(range[2], item) : minMs;
      if (maxMs < minMs) fail(`"${item}": the range ends before it starts`);
      rule.latency = { minMs, maxMs };
    } else if (key in ERROR_FAULTS || key === 'cut') {
      const allowed = FAULT_OPTIONS[key] ?? [];
      const [value, opts] = options(rest, item, allowed);
      const fault: TerminalFault = {
        kind: key as TerminalFaultKind,
        probability: parseProbability(value, item),
      };
      const retryAfter = opts.get('retryAfter');
      if (retryAfter !== undefined)
        fault.retryAfterSeconds = parseCount(retryAfter, item, 0);
      else if (key === 'throttle429') fault.retryAfterSeconds = 1;
      if (key === 'cut') {
        const at = opts.get('at') ?? 'body';
        if (at !== 'request' && at !== 'headers' && at !== 'body')
          fail(`"${item}": at= wants request, headers or body`);
        fault.cutAt = at as CutPoint;
      }
      rule.faults.push(fault);
    } else if (key === 'dropWatch') {
      const [value, opts] = options(rest, item, ['mode']);
      const mode = opts.get('mode') ?? 'reset';
      if (mode !== 'reset' && mode !== 'end')
        fail(`"${item}": mode= wants reset or end`);
      rule.dropWatch = {
        afterMs: parseDurationMs(value, item),
        mode: mode as 'reset' | 'end',
      };
    } else if (key === 'skip') {
      rule.skip = parseCount(options(rest, item, [])[0], item, 0);
    } else if (key === 'count') {
      rule.count = parseCount(options(rest, item, [])[0], item, 1);
    } else if (key === 'seed') {
      if (spec.seed !== undefined) fail(`"seed" given twice`);
      const [value] = options(rest, item, []);
      if (!/^\d+$/.test(value) || Number(value) > 0xffffffff)
        fail(`"${item}": want a whole number from 0 to 4294967295`);
      spec.seed = Number(value);
    } else if (key === 'restart') {
      if (spec.restart) fail(`"restart" given twice`);
      const [value, opts] = options(rest, item, ['down']);
      const everyMs = parseDurationMs(value, item);
      const downMs = parseDurationMs(opts.get('down') ?? '1s', item);
      if (everyMs <= downMs)
        fail(`"${item}": the interval must be longer than down=`);
      spec.restart = { everyMs, downMs };
    }
  }
  if (onlySettings) return undefined;
  if (!rule.latency && !rule.faults.length && !rule.dropWatch)
    fail(
      `"${ruleText}" has no fault (latency, ${Object.keys(ERROR_FAULTS).join(
        ', ',
      )}, cut or dropWatch)`,
    );
  const total = rule.faults.reduce((sum, f) => sum + f.probability, 0);
  if (total > 1 + 1e-9)
    fail(
      `the chances in "${ruleText}" add up to ${
        Math.round(total * 1000) / 1000
      }; at most 1`,
    );
  return rule;
}
