/** A JSON object as decoded from a request body or held in the store. */
export type JsonObject = { [key: string]: unknown };

/** True for plain JSON objects (not arrays, not null). */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Deep copy of a JSON value. Frozen inputs produce mutable copies. */
export function clone<T>(value: T): T {
  if (value === undefined) return value;
  return structuredClone(value);
}

/** Structural equality of two JSON values (key order ignored). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  if (typeof a === 'object') {
    const ao = a as JsonObject;
    const bo = b as JsonObject;
    const ak = Object.keys(ao).filter(k => ao[k] !== undefined);
    const bk = Object.keys(bo).filter(k => bo[k] !== undefined);
    if (ak.length !== bk.length) return false;
    for (const k of ak) if (!deepEqual(ao[k], bo[k])) return false;
    return true;
  }
  return false;
}

/**
 * Freezes a JSON value recursively. Objects in the store are frozen so that a
 * code path that forgets to copy before editing fails loudly instead of
 * silently changing history seen by watchers.
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as object)) deepFreeze(v);
  }
  return value;
}

/** Reads a nested value by path segments, undefined when absent. */
export function getPath(
  obj: unknown,
  path: readonly (string | number)[],
): unknown {
  let cur: unknown = obj;
  for (const seg of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[seg];
  }
  return cur;
}

/** Sets a nested value, creating intermediate objects. */
export function setPath(
  obj: JsonObject,
  path: readonly string[],
  value: unknown,
): void {
  let cur: JsonObject = obj;
  for (let i = 0; i < path.length - 1; i++) {
    const next = cur[path[i]];
    if (!isObject(next)) cur[path[i]] = {};
    cur = cur[path[i]] as JsonObject;
  }
  cur[path[path.length - 1]] = value;
}

/** Deterministic JSON with sorted keys, used for hashing. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (isObject(value)) {
    const keys = Object.keys(value)
      .filter(k => value[k] !== undefined)
      .sort();
    return `{${keys
      .map(k => `${JSON.stringify(k)}:${canonicalJson(value[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Removes keys whose value is undefined, null-valued maps left as they are. */
export function pruneUndefined<T extends JsonObject>(obj: T): T {
  for (const k of Object.keys(obj)) if (obj[k] === undefined) delete obj[k];
  return obj;
}

/** Ordinal string comparison (what Go's sort.Strings does), for sort(). */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}
