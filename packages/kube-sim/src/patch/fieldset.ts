import { SchemaCursor } from '../schema/cursor';
import {
  canonicalJson,
  compareStrings,
  isObject,
  JsonObject,
} from '../util/objects';

/**
 * Field paths as server-side apply tracks them. A path is a list of elements
 * in FieldsV1 spelling (`f:spec`, `k:{"name":"web"}`, `v:"x"`, `i:0`), stored
 * joined by a newline (which cannot appear unescaped inside the elements).
 */
export type FieldPath = string;
export const SEP = '\n';

export function pathElements(p: FieldPath): string[] {
  return p === '' ? [] : p.split(SEP);
}

export function joinPath(parent: FieldPath, el: string): FieldPath {
  return parent === '' ? el : parent + SEP + el;
}

/** What a path denotes in an object: a leaf value, an associative/set list item, or an object node. */
export interface FieldEntry {
  kind: 'leaf' | 'item' | 'node';
  /** Canonical JSON of the value (leaves and items). */
  value?: string;
  /** True for objects whose values are a map (labels), reported with `.` when created. */
  isMap?: boolean;
}

/** Key element of an associative list item, `k:{"containerPort":80,"protocol":"TCP"}`. */
export function listItemElement(
  item: unknown,
  index: number,
  cursor: SchemaCursor,
): string {
  const keys = cursor.listKeys();
  if (!isObject(item) || keys.length === 0) return `i:${index}`;
  const keyObj: JsonObject = {};
  for (const k of [...keys].sort()) {
    let v = item[k];
    if (v === undefined) v = cursor.items().keyDefault(k);
    if (v === undefined) continue;
    keyObj[k] = v;
  }
  if (Object.keys(keyObj).length === 0) return `i:${index}`;
  return `k:${JSON.stringify(keyObj)}`;
}

/** Fields stripped from managed fields (and from what an apply may own), as the API server does. */
const STRIPPED_META = new Set([
  'name',
  'namespace',
  'creationTimestamp',
  'selfLink',
  'uid',
  'clusterName',
  'generation',
  'managedFields',
  'resourceVersion',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
]);

/**
 * Every field path of an object with what it denotes. `ignoreStatus` drops
 * the status subtree (writes to the main resource of kinds with a status
 * subresource); `onlyStatus` keeps only it.
 */
export function objectFields(
  obj: unknown,
  cursor: SchemaCursor,
  scope: 'all' | 'main' | 'status' = 'all',
): Map<FieldPath, FieldEntry> {
  const out = new Map<FieldPath, FieldEntry>();
  if (!isObject(obj)) return out;
  for (const [k, v] of Object.entries(obj)) {
    if (k === 'apiVersion' || k === 'kind') continue;
    if (scope === 'main' && k === 'status') continue;
    if (scope === 'status' && k !== 'status') continue;
    const p = `f:${k}`;
    if (k === 'metadata' && isObject(v)) {
      const mc = cursor.child('metadata');
      let any = false;
      for (const [mk, mv] of Object.entries(v)) {
        if (STRIPPED_META.has(mk) || mv === undefined || mv === null) continue;
        any = true;
        walk(mv, mc.child(mk), joinPath(p, `f:${mk}`), out);
      }
      if (any) out.set(p, { kind: 'node' });
      continue;
    }
    walk(v, cursor.child(k), p, out);
  }
  return out;
}

function walk(
  value: unknown,
  cursor: SchemaCursor,
  path: FieldPath,
  out: Map<FieldPath, FieldEntry>,
): void {
  if (value === undefined || value === null) return;
  if (isObject(value)) {
    const keys = Object.keys(value).filter(
      k => value[k] !== undefined && value[k] !== null,
    );
    if (cursor.isAtomicMap() || keys.length === 0) {
      out.set(path, { kind: 'leaf', value: canonicalJson(value) });
      return;
    }
    out.set(path, { kind: 'node', isMap: cursor.isMapOfValues() });
    for (const k of keys)
      walk(value[k], cursor.child(k), joinPath(path, `f:${k}`), out);
    return;
  }
  if (Array.isArray(value)) {
    const lt = cursor.listType();
    if (lt === 'set') {
      out.set(path, { kind: 'node' });
      for (const v of value)
        out.set(joinPath(path, `v:${JSON.stringify(v)}`), {
          kind: 'item',
          value: canonicalJson(v),
        });
      return;
    }
    if (lt === 'map' && value.length > 0) {
      out.set(path, { kind: 'node' });
      const items = cursor.items();
      value.forEach((item, i) => {
        const el = joinPath(path, listItemElement(item, i, cursor));
        out.set(el, { kind: 'item', value: '' });
        if (isObject(item)) {
          for (const [k, v] of Object.entries(item))
            walk(v, items.child(k), joinPath(el, `f:${k}`), out);
        }
      });
      return;
    }
    out.set(path, { kind: 'leaf', value: canonicalJson(value) });
    return;
  }
  out.set(path, { kind: 'leaf', value: canonicalJson(value) });
}

/** The members an apply of this object claims: leaves and list items. */
export function appliedSet(fields: Map<FieldPath, FieldEntry>): Set<FieldPath> {
  const set = new Set<FieldPath>();
  for (const [p, e] of fields) if (e.kind !== 'node') set.add(p);
  return set;
}

/** Fields an Update takes ownership of: leaves whose value changed, new items, new maps. */
export function changedSet(
  before: Map<FieldPath, FieldEntry>,
  after: Map<FieldPath, FieldEntry>,
): Set<FieldPath> {
  const set = new Set<FieldPath>();
  for (const [p, e] of after) {
    const old = before.get(p);
    if (e.kind === 'leaf') {
      if (!old || old.kind !== 'leaf' || old.value !== e.value) set.add(p);
    } else if (e.kind === 'item') {
      if (!old) set.add(p);
    } else if (e.isMap && !old) {
      set.add(p);
    }
  }
  return set;
}

/** Converts a set of paths to the FieldsV1 JSON tree (`{"f:spec":{"f:replicas":{}}}`). */
export function toFieldsV1(set: Iterable<FieldPath>): JsonObject {
  const root: JsonObject = {};
  const members: string[][] = [];
  for (const p of set) members.push(pathElements(p));
  // insert longer paths after shorter ones so `.` markers land on existing nodes
  members.sort((a, b) => a.length - b.length);
  const memberNodes = new Set<JsonObject>();
  for (const els of members) {
    let cur = root;
    for (const el of els) {
      if (!isObject(cur[el])) cur[el] = {};
      cur = cur[el] as JsonObject;
    }
    memberNodes.add(cur);
  }
  // a member node that also has children is marked with ".": {}
  const mark = (node: JsonObject) => {
    for (const [k, child] of Object.entries(node)) {
      if (k === '.' || !isObject(child)) continue;
      if (memberNodes.has(child) && Object.keys(child).length > 0)
        child['.'] = {};
      mark(child);
    }
  };
  mark(root);
  return sortTree(root);
}

function sortTree(node: JsonObject): JsonObject {
  const out: JsonObject = {};
  const keys = Object.keys(node)
    .filter(k => k !== '.')
    .sort(compareStrings);
  if ('.' in node) keys.unshift('.');
  for (const k of keys) {
    out[k] = isObject(node[k]) ? sortTree(node[k] as JsonObject) : node[k];
  }
  return out;
}

/** Parses a FieldsV1 tree back into a set of paths. */
export function fromFieldsV1(tree: unknown): Set<FieldPath> {
  const set = new Set<FieldPath>();
  const visit = (node: unknown, path: FieldPath) => {
    if (!isObject(node)) return;
    const keys = Object.keys(node);
    if (path !== '' && (keys.length === 0 || keys.includes('.'))) set.add(path);
    for (const k of keys) if (k !== '.') visit(node[k], joinPath(path, k));
  };
  visit(tree, '');
  return set;
}

/** Human-readable path as the API server prints it in conflicts: `.spec.containers[name="web"].image`. */
export function formatPath(p: FieldPath): string {
  let out = '';
  for (const el of pathElements(p)) {
    const body = el.slice(2);
    if (el.startsWith('f:')) out += `.${body}`;
    else if (el.startsWith('k:')) {
      const key = JSON.parse(body) as JsonObject;
      out += `[${Object.entries(key)
        .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
        .join(',')}]`;
    } else if (el.startsWith('v:')) out += `[=${body}]`;
    else if (el.startsWith('i:')) out += `[${body}]`;
  }
  return out;
}
