import { SchemaCursor } from '../schema/cursor';
import { clone, deepEqual, isObject, JsonObject } from '../util/objects';
import { PatchError } from './json-patch';

const SET_ORDER = '$setElementOrder/';
const DELETE_PRIMITIVE = '$deleteFromPrimitiveList/';

/**
 * Applies a strategic merge patch (the default `kubectl patch` type and what
 * client-side `kubectl apply` sends) to a copy of `original`, using the
 * schema's patch merge keys and strategies.
 */
export function applyStrategicMergePatch(
  original: unknown,
  patch: unknown,
  cursor: SchemaCursor,
): unknown {
  if (!isObject(patch))
    throw new PatchError('strategic merge patch must be a JSON object');
  return mergeMap(isObject(original) ? clone(original) : {}, patch, cursor);
}

function mergeMap(
  original: JsonObject,
  patch: JsonObject,
  cursor: SchemaCursor,
): JsonObject {
  const directive = patch.$patch;
  if (directive === 'replace') {
    return stripDirectives(patch, cursor) as JsonObject;
  }
  if (directive === 'delete') {
    return {};
  }
  if (Array.isArray(patch.$retainKeys)) {
    const keep = new Set(patch.$retainKeys as string[]);
    for (const k of Object.keys(original)) if (!keep.has(k)) delete original[k];
  }
  for (const [key, value] of Object.entries(patch)) {
    if (key === '$patch' || key === '$retainKeys' || key.startsWith(SET_ORDER))
      continue;
    if (key.startsWith(DELETE_PRIMITIVE)) {
      const field = key.slice(DELETE_PRIMITIVE.length);
      const list = original[field];
      if (Array.isArray(list) && Array.isArray(value)) {
        original[field] = list.filter(
          item => !value.some(v => deepEqual(v, item)),
        );
      }
      continue;
    }
    const sub = cursor.child(key);
    if (value === null) {
      delete original[key];
    } else if (isObject(value)) {
      if (value.$patch === 'delete') {
        delete original[key];
      } else if (
        sub.patchStrategies().includes('replace') ||
        value.$patch === 'replace'
      ) {
        original[key] = stripDirectives(value, sub);
      } else {
        original[key] = mergeMap(
          isObject(original[key]) ? (original[key] as JsonObject) : {},
          value,
          sub,
        );
      }
    } else if (Array.isArray(value)) {
      original[key] = mergeList(
        Array.isArray(original[key]) ? (original[key] as unknown[]) : [],
        value,
        sub,
      );
    } else {
      original[key] = value;
    }
  }
  for (const [key, order] of Object.entries(patch)) {
    if (!key.startsWith(SET_ORDER) || !Array.isArray(order)) continue;
    const field = key.slice(SET_ORDER.length);
    const list = original[field];
    if (Array.isArray(list))
      original[field] = reorder(
        list,
        order,
        cursor.child(field).patchMergeKey(),
      );
  }
  return original;
}

function itemKey(item: unknown, mergeKey: string | undefined): unknown {
  if (mergeKey && isObject(item)) return item[mergeKey];
  return item;
}

function reorder(
  list: unknown[],
  order: unknown[],
  mergeKey: string | undefined,
): unknown[] {
  const pos = (item: unknown) =>
    order.findIndex(o =>
      deepEqual(itemKey(o, mergeKey), itemKey(item, mergeKey)),
    );
  const inOrder = list.filter(i => pos(i) >= 0).sort((a, b) => pos(a) - pos(b));
  const rest = list.filter(i => pos(i) < 0);
  return [...inOrder, ...rest];
}

function mergeList(
  original: unknown[],
  patch: unknown[],
  cursor: SchemaCursor,
): unknown[] {
  const strategies = cursor.patchStrategies();
  const mergeKey = cursor.patchMergeKey();
  const items = cursor.items();
  if (patch.some(p => isObject(p) && p.$patch === 'replace')) {
    return patch
      .filter(p => !(isObject(p) && p.$patch === 'replace'))
      .map(p => stripDirectives(p, items));
  }
  if (!strategies.includes('merge')) {
    return patch.map(p => stripDirectives(p, items));
  }
  const out = clone(original);
  if (!mergeKey) {
    // merge strategy on a primitive list: union
    for (const p of patch) if (!out.some(o => deepEqual(o, p))) out.push(p);
    return out;
  }
  for (const p of patch) {
    if (!isObject(p)) {
      out.push(p);
      continue;
    }
    const key = p[mergeKey];
    const idx = out.findIndex(o => isObject(o) && deepEqual(o[mergeKey], key));
    if (p.$patch === 'delete') {
      if (idx >= 0) out.splice(idx, 1);
      continue;
    }
    if (idx >= 0) {
      out[idx] = mergeMap(out[idx] as JsonObject, p, items);
    } else {
      out.push(stripDirectives(p, items));
    }
  }
  return out;
}

/** A patch fragment applied onto nothing: directives removed, nulls dropped. */
function stripDirectives(value: unknown, cursor: SchemaCursor): unknown {
  if (Array.isArray(value)) {
    return value
      .filter(v => !(isObject(v) && v.$patch === 'delete'))
      .map(v => stripDirectives(v, cursor.items()));
  }
  if (isObject(value)) {
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(value)) {
      if (
        k === '$patch' ||
        k === '$retainKeys' ||
        k.startsWith(SET_ORDER) ||
        k.startsWith(DELETE_PRIMITIVE)
      )
        continue;
      if (v === null) continue;
      out[k] = stripDirectives(v, cursor.child(k));
    }
    return out;
  }
  return value;
}
