/**
 * A small type checker for YAML documents that Istio reads as protobuf JSON (MeshConfig,
 * MeshNetworks): field types as the proto declares them, both spellings of a field name
 * (`root_namespace` and `rootNamespace`, as protobuf's JSON reader accepts), oneofs, and unknown
 * fields reported apart (Istio's reader retries ignoring unknown fields, so they are not errors).
 * Pure.
 */

/** A field's type. `object` is any mapping (a message we do not look into). */
export type Shape =
  | 'string'
  | 'bool'
  | 'int'
  | 'uint'
  | 'duration'
  | 'object'
  | { enum: readonly string[] }
  | { list: Shape }
  | { map: Shape }
  | MessageShape;

/** A message: its fields by JSON (camelCase) name, and groups of fields of which one may be set. */
export interface MessageShape {
  fields: Readonly<Record<string, Shape>>;
  oneofs?: ReadonlyArray<readonly string[]>;
}

/** A type problem, with the JSON pointer of the field. */
export interface ShapeProblem {
  path: string;
  message: string;
}

/** `root_namespace` → `rootNamespace` (protobuf's JSON name of a field). */
export function jsonName(name: string): string {
  return name.replace(/_([a-zA-Z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** Go's time.ParseDuration syntax, which Istio's JSON reader uses for Durations. */
const DURATION = /^[-+]?(0|(\d+(\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h))+$/;

/** Seconds of a Go duration string (`1m30s` → 90), or undefined when it is not one. */
export function durationSeconds(text: string): number | undefined {
  if (!DURATION.test(text)) return undefined;
  const unit: Record<string, number> = {
    ns: 1e-9,
    us: 1e-6,
    µs: 1e-6,
    μs: 1e-6,
    ms: 1e-3,
    s: 1,
    m: 60,
    h: 3600,
  };
  const sign = text.startsWith('-') ? -1 : 1;
  let total = 0;
  for (const m of text.matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g))
    total += Number(m[1]) * unit[m[2]];
  return sign * total;
}

const isMapping = (v: unknown): v is Record<string, unknown> =>
  Boolean(v) && typeof v === 'object' && !Array.isArray(v);

const pointer = (base: string, key: string | number) =>
  `${base}/${String(key).replace(/~/g, '~0').replace(/\//g, '~1')}`;

function describe(v: unknown): string {
  if (v === null) return 'null';
  return Array.isArray(v) ? 'a list' : JSON.stringify(v);
}

function isInteger(v: unknown, unsigned: boolean): boolean {
  // The JSON reader takes 32-bit integers as numbers or as strings of digits.
  const n = typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n)) return false;
  return unsigned ? n >= 0 && n <= 0xffffffff : Math.abs(n) <= 0x7fffffff;
}

/**
 * Checks `value` against `shape`; `errors` are type problems the mesh rejects, `warnings` unknown
 * fields it ignores. A `null` field is the field's default, as in protobuf JSON.
 */
export function checkShape(
  value: unknown,
  shape: Shape,
  path = '',
): { errors: ShapeProblem[]; warnings: ShapeProblem[] } {
  const errors: ShapeProblem[] = [];
  const warnings: ShapeProblem[] = [];
  const walk = (v: unknown, s: Shape, at: string): void => {
    if (v === null) return;
    const bad = (expected: string) =>
      errors.push({
        path: at,
        message: `must be ${expected}, not ${describe(v)}`,
      });
    if (s === 'string') {
      if (typeof v !== 'string') bad('a string');
    } else if (s === 'bool') {
      if (typeof v !== 'boolean') bad('true or false');
    } else if (s === 'int' || s === 'uint') {
      if (!isInteger(v, s === 'uint'))
        bad(s === 'uint' ? 'a non-negative integer' : 'an integer');
    } else if (s === 'duration') {
      if (typeof v !== 'string' || durationSeconds(v) === undefined)
        bad('a duration such as "10s", "1m30s" or "500ms"');
    } else if (s === 'object') {
      if (!isMapping(v)) bad('a mapping');
    } else if ('enum' in s) {
      if (typeof v !== 'string' || !s.enum.includes(v))
        bad(`one of ${s.enum.join(', ')}`);
    } else if ('list' in s) {
      if (!Array.isArray(v)) bad('a list');
      else v.forEach((item, i) => walk(item, s.list, pointer(at, i)));
    } else if ('map' in s) {
      if (!isMapping(v)) bad('a mapping');
      else
        for (const [k, item] of Object.entries(v))
          walk(item, s.map, pointer(at, k));
    } else if (!isMapping(v)) {
      bad('a mapping');
    } else {
      const seen = new Map<string, string>();
      for (const [key, item] of Object.entries(v)) {
        const name = jsonName(key);
        const type = s.fields[name];
        const where = pointer(at, key);
        if (!type) {
          warnings.push({ path: where, message: 'unknown field' });
          continue;
        }
        if (seen.has(name)) {
          errors.push({
            path: where,
            message: `is set twice (also as "${seen.get(name)}")`,
          });
          continue;
        }
        seen.set(name, key);
        walk(item, type, where);
      }
      for (const group of s.oneofs ?? []) {
        const set = [...seen.entries()].filter(
          ([name]) => group.includes(name) && v[seen.get(name)!] !== null,
        );
        if (set.length > 1)
          errors.push({
            path: pointer(at, set[1][1]),
            message: `only one of ${group.join(', ')} may be set (also set: ${
              set[0][1]
            })`,
          });
      }
    }
  };
  walk(value, shape, path);
  return { errors, warnings };
}

/** Reads a field by its JSON name or its proto name (`rootNamespace` or `root_namespace`). */
export function field(obj: unknown, name: string): unknown {
  if (!isMapping(obj)) return undefined;
  if (name in obj) return obj[name];
  const key = Object.keys(obj).find(k => jsonName(k) === name);
  return key === undefined ? undefined : obj[key];
}
