import type { DriftDifference } from '@meshstage/plugin-mesh-common';
import { REDACTED } from './secrets';

type Json = unknown;

const isObject = (v: Json): v is Record<string, Json> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Escapes one JSON pointer segment (RFC 6901). */
const segment = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');

// Lists whose items all carry a `name` are merged by that name by the API server (containers,
// ports, env, volumes), so an item is matched by name, not by position: a sidecar injected in
// front of our container is not drift.
function namedItems(list: Json[]): Map<string, Record<string, Json>> | null {
  if (list.length === 0) return null;
  const map = new Map<string, Record<string, Json>>();
  for (const item of list) {
    if (!isObject(item) || typeof item.name !== 'string') return null;
    map.set(item.name, item);
  }
  return map;
}

// The API server stores numbers and quantities as it received them in JSON; a port given as the
// number 8080 may come back as 8080, and booleans stay booleans. Strings and numbers that print
// the same are the same value for drift (int-or-string fields such as targetPort).
function sameScalar(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (
    (typeof a === 'number' || typeof a === 'string') &&
    (typeof b === 'number' || typeof b === 'string')
  ) {
    return String(a) === String(b);
  }
  return false;
}

function walk(
  desired: Json,
  live: Json,
  path: string,
  out: DriftDifference[],
): void {
  // A private value the plan never holds (see secrets.ts): not compared, never printed.
  if (desired === REDACTED) return;
  if (isObject(desired)) {
    if (!isObject(live)) {
      out.push(
        live === undefined ? { path, desired } : { path, desired, live },
      );
      return;
    }
    for (const [key, value] of Object.entries(desired)) {
      walk(value, live[key], `${path}/${segment(key)}`, out);
    }
    return;
  }
  if (Array.isArray(desired)) {
    if (!Array.isArray(live)) {
      out.push(
        live === undefined ? { path, desired } : { path, desired, live },
      );
      return;
    }
    const desiredByName = namedItems(desired);
    if (desiredByName) {
      const liveByName = new Map<string, Json>();
      for (const item of live) {
        if (isObject(item) && typeof item.name === 'string') {
          liveByName.set(item.name, item);
        }
      }
      for (const [name, item] of desiredByName) {
        walk(item, liveByName.get(name), `${path}/${segment(name)}`, out);
      }
      return;
    }
    // Lists of scalars and unnamed items are atomic: Kubernetes replaces them whole. An item's
    // fields the API server defaults (a webhook rule's `scope: '*'`) are not drift.
    if (
      desired.length !== live.length ||
      desired.some((d, i) => !coveredBy(d, live[i]))
    ) {
      out.push({ path, desired, live });
    }
    return;
  }
  if (!sameScalar(desired, live)) {
    out.push(live === undefined ? { path, desired } : { path, desired, live });
  }
}

/** `desired` equals `live` in every field `desired` sets (objects); exactly, otherwise. */
function coveredBy(desired: Json, live: Json): boolean {
  if (isObject(desired) && isObject(live)) {
    return Object.keys(desired).every(k => coveredBy(desired[k], live[k]));
  }
  if (Array.isArray(desired) && Array.isArray(live)) {
    return (
      desired.length === live.length &&
      desired.every((d, i) => coveredBy(d, live[i]))
    );
  }
  return deepEqual(desired, live);
}

function deepEqual(a: Json, b: Json): boolean {
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    return (
      keys.length === Object.keys(b).length &&
      keys.every(k => deepEqual(a[k], b[k]))
    );
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  }
  return sameScalar(a, b);
}

/**
 * The fields of an applied object whose live value differs. Only fields present in `desired` are
 * compared (the fields MeshStage manages through server-side apply): defaults the API server
 * adds, status, and fields other managers own are not drift. `apiVersion`, `kind` and the
 * object's identity are skipped, and so are {@link REDACTED} values (private keys MeshStage does
 * not keep). Used for drift reports and for dry-run diffs of applies.
 * @public
 */
export function compareManagedFields(
  desired: Record<string, Json>,
  live: Record<string, Json>,
): DriftDifference[] {
  const out: DriftDifference[] = [];
  const { apiVersion: _a, kind: _k, metadata, status: _s, ...rest } = desired;
  const liveMeta = isObject(live.metadata) ? live.metadata : {};
  if (isObject(metadata)) {
    for (const key of ['labels', 'annotations'] as const) {
      if (metadata[key] !== undefined) {
        walk(metadata[key], liveMeta[key], `/metadata/${key}`, out);
      }
    }
  }
  for (const [key, value] of Object.entries(rest)) {
    walk(value, live[key], `/${segment(key)}`, out);
  }
  return out;
}
