import { SchemaCursor } from '../schema/cursor';
import {
  canonicalJson,
  clone,
  deepEqual,
  isObject,
  JsonObject,
} from '../util/objects';
import {
  appliedSet,
  changedSet,
  FieldPath,
  formatPath,
  fromFieldsV1,
  listItemElement,
  objectFields,
  pathElements,
  SEP,
  toFieldsV1,
} from './fieldset';

/** A decoded metadata.managedFields entry. */
export interface ManagerEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  subresource?: string;
  time?: string;
  fields: Set<FieldPath>;
}

/** One field owned by another manager that an apply would change. */
export interface ApplyConflict {
  manager: ManagerEntry;
  path: FieldPath;
}

export class ApplyConflictError extends Error {
  constructor(readonly conflicts: ApplyConflict[]) {
    super(conflictMessage(conflicts));
  }
}

/** How a manager is named in conflict messages: `"kubectl-client-side-apply" using v1`. */
export function describeManager(m: ManagerEntry): string {
  let s = JSON.stringify(m.manager);
  if (m.subresource) s += ` with subresource ${JSON.stringify(m.subresource)}`;
  if (m.operation === 'Update') s += ` using ${m.apiVersion}`;
  return s;
}

/** The API server's message for apply conflicts (single and multiple). */
export function conflictMessage(conflicts: ApplyConflict[]): string {
  if (conflicts.length === 1) {
    const c = conflicts[0];
    return `Apply failed with 1 conflict: conflict with ${describeManager(
      c.manager,
    )}: ${formatPath(c.path)}`;
  }
  const byManager = new Map<string, { m: ManagerEntry; paths: FieldPath[] }>();
  for (const c of conflicts) {
    const key = describeManager(c.manager);
    if (!byManager.has(key)) byManager.set(key, { m: c.manager, paths: [] });
    byManager.get(key)!.paths.push(c.path);
  }
  const lines: string[] = [];
  for (const key of [...byManager.keys()].sort()) {
    lines.push(`conflicts with ${key}:`);
    for (const p of byManager.get(key)!.paths) lines.push(`- ${formatPath(p)}`);
  }
  return `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
}

export function decodeManagedFields(raw: unknown): ManagerEntry[] {
  if (!Array.isArray(raw)) return [];
  const out: ManagerEntry[] = [];
  for (const e of raw) {
    if (!isObject(e)) continue;
    out.push({
      manager: String(e.manager ?? ''),
      operation: e.operation === 'Apply' ? 'Apply' : 'Update',
      apiVersion: String(e.apiVersion ?? ''),
      subresource:
        typeof e.subresource === 'string' && e.subresource
          ? e.subresource
          : undefined,
      time: typeof e.time === 'string' ? e.time : undefined,
      fields: fromFieldsV1(e.fieldsV1),
    });
  }
  return out;
}

export function encodeManagedFields(entries: ManagerEntry[]): JsonObject[] {
  return entries
    .filter(e => e.fields.size > 0)
    .map(e => {
      const out: JsonObject = {
        apiVersion: e.apiVersion,
        fieldsType: 'FieldsV1',
        fieldsV1: toFieldsV1(e.fields),
        manager: e.manager,
        operation: e.operation,
      };
      if (e.subresource) out.subresource = e.subresource;
      if (e.time) out.time = e.time;
      return out;
    });
}

function sameIdentity(
  a: ManagerEntry,
  b: Omit<ManagerEntry, 'fields' | 'time'>,
): boolean {
  return (
    a.manager === b.manager &&
    a.operation === b.operation &&
    (a.subresource ?? '') === (b.subresource ?? '') &&
    (a.operation === 'Apply' || a.apiVersion === b.apiVersion)
  );
}

function scopeOf(
  subresource: string | undefined,
  hasStatus: boolean,
): 'all' | 'main' | 'status' {
  if (subresource === 'status') return 'status';
  return hasStatus ? 'main' : 'all';
}

export interface UpdateParams {
  before: JsonObject | undefined;
  after: JsonObject;
  entries: ManagerEntry[];
  manager: string;
  apiVersion: string;
  subresource?: string;
  hasStatusSubresource: boolean;
  cursor: SchemaCursor;
  time: string;
}

/**
 * Managed fields after a non-apply write: the writer takes the fields it
 * changed (from everyone else), and fields that no longer exist are dropped.
 */
export function trackUpdate(p: UpdateParams): ManagerEntry[] {
  const scope = scopeOf(p.subresource, p.hasStatusSubresource);
  const beforeFields = p.before
    ? objectFields(p.before, p.cursor, scope)
    : new Map();
  const afterFields = objectFields(p.after, p.cursor, scope);
  const changed = changedSet(beforeFields, afterFields);
  const allAfter = objectFields(p.after, p.cursor, 'all');
  const entries = p.entries.map(e => ({ ...e, fields: new Set(e.fields) }));
  for (const e of entries) {
    for (const f of changed) e.fields.delete(f);
    for (const f of [...e.fields]) if (!allAfter.has(f)) e.fields.delete(f);
  }
  if (changed.size > 0) {
    const id = {
      manager: p.manager,
      operation: 'Update' as const,
      apiVersion: p.apiVersion,
      subresource: p.subresource,
    };
    let mine = entries.find(e => sameIdentity(e, id));
    if (!mine) {
      mine = { ...id, fields: new Set() };
      entries.push(mine);
    }
    for (const f of changed) mine.fields.add(f);
    mine.time = p.time;
  }
  return entries.filter(e => e.fields.size > 0);
}

export interface ApplyParams {
  live: JsonObject | undefined;
  applied: JsonObject;
  entries: ManagerEntry[];
  manager: string;
  apiVersion: string;
  subresource?: string;
  hasStatusSubresource: boolean;
  force: boolean;
  cursor: SchemaCursor;
  time: string;
}

/**
 * Server-side apply: merges the applied configuration into the live object,
 * detecting conflicts with other managers, removing fields this manager
 * stopped applying (when nobody else owns them), and recording ownership.
 */
export function serverSideApply(p: ApplyParams): {
  object: JsonObject;
  entries: ManagerEntry[];
} {
  const scope = scopeOf(p.subresource, p.hasStatusSubresource);
  const live = p.live ? clone(p.live) : {};
  const appliedFields = objectFields(p.applied, p.cursor, scope);
  const applySet = appliedSet(appliedFields);
  const liveFields = objectFields(live, p.cursor, 'all');
  const id = {
    manager: p.manager,
    operation: 'Apply' as const,
    apiVersion: p.apiVersion,
    subresource: p.subresource,
  };
  const entries = p.entries.map(e => ({ ...e, fields: new Set(e.fields) }));
  const previous = entries.find(e => sameIdentity(e, id));

  const conflicts: ApplyConflict[] = [];
  for (const e of entries) {
    if (e === previous) continue;
    for (const f of e.fields) {
      if (!applySet.has(f)) continue;
      const a = appliedFields.get(f);
      const l = liveFields.get(f);
      if (!l) continue;
      if (a?.kind === 'leaf' && a.value !== l.value)
        conflicts.push({ manager: e, path: f });
    }
  }
  if (conflicts.length > 0) {
    if (!p.force) throw new ApplyConflictError(conflicts);
    for (const c of conflicts) c.manager.fields.delete(c.path);
  }

  let object = mergeApplied(live, p.applied, p.cursor, scope) as JsonObject;

  if (previous) {
    // A field the applier now sets children of (an empty map it filled) is not dropped:
    // removing it would take the newly applied children with it.
    const appliedPaths = [...applySet].map(pathElements);
    const stillApplied = (f: FieldPath) => {
      const els = pathElements(f);
      return appliedPaths.some(
        a => a.length > els.length && els.every((el, i) => a[i] === el),
      );
    };
    const dropped = [...previous.fields].filter(
      f => !applySet.has(f) && !stillApplied(f),
    );
    const ownedElsewhere = (f: FieldPath) =>
      entries.some(e => e !== previous && e.fields.has(f));
    const toRemove = dropped.filter(f => !ownedElsewhere(f));
    for (const f of prunablePaths(toRemove, entries, previous)) {
      removePath(object, pathElements(f), p.cursor);
    }
  }

  const mine = previous ?? { ...id, fields: new Set<FieldPath>() };
  mine.fields = applySet;
  mine.time = p.time;
  mine.apiVersion = p.apiVersion;
  if (!previous) entries.push(mine);

  const finalFields = objectFields(object, p.cursor, 'all');
  for (const e of entries)
    for (const f of [...e.fields]) if (!finalFields.has(f)) e.fields.delete(f);
  object = object as JsonObject;
  return { object, entries: entries.filter(e => e.fields.size > 0) };
}

/** The field names of a list item key element (`k:{"name":"web"}` → `name`). */
function keyFieldsOf(el: string): string[] {
  if (!el.startsWith('k:')) return [];
  try {
    return Object.keys(JSON.parse(el.slice(2)) as object);
  } catch {
    return [];
  }
}

/**
 * The paths to delete, in an order that keeps later lookups valid, as the API server prunes
 * (structured-merge-diff removes what the applier dropped, then adds back what other managers
 * own): a dropped list item that no other manager owns anything inside goes as a whole (its
 * fields are not removed one by one first: removing a key field would leave the item unfindable
 * and a husk behind, e.g. `containers[3]` with `ports` but no `name`); inside an item that
 * stays (another manager owns some of it) the item's key fields stay too. Deepest paths come
 * first so list indexes and parents stay valid.
 */
function prunablePaths(
  toRemove: FieldPath[],
  entries: ManagerEntry[],
  applier: ManagerEntry,
): FieldPath[] {
  const others: string[][] = [];
  for (const e of entries) {
    if (e === applier) continue;
    for (const f of e.fields) others.push(pathElements(f));
  }
  const isPrefix = (prefix: string[], of: string[]) =>
    prefix.length < of.length && prefix.every((el, i) => of[i] === el);
  const removable = toRemove.map(pathElements);
  // Whole items: list items no other manager owns anything inside.
  const wholeItems = removable.filter(
    els =>
      els.length > 0 &&
      /^[kvi]:/.test(els[els.length - 1]) &&
      !others.some(o => isPrefix(els, o)),
  );
  const out = removable.filter(els => {
    // Inside an item removed as a whole: goes with it.
    if (wholeItems.some(item => isPrefix(item, els))) return false;
    // An item (or node) another manager owns something inside: stays.
    if (others.some(o => isPrefix(els, o))) return false;
    // A key field of an item that stays.
    const parent = els[els.length - 2];
    const last = els[els.length - 1];
    if (
      parent &&
      last?.startsWith('f:') &&
      keyFieldsOf(parent).includes(last.slice(2))
    ) {
      return false;
    }
    return true;
  });
  out.sort((a, b) => b.length - a.length);
  return out.map(els => els.join(SEP));
}

/** Merges an applied configuration into a live object following list/map semantics. */
export function mergeApplied(
  live: unknown,
  applied: unknown,
  cursor: SchemaCursor,
  scope: 'all' | 'main' | 'status' = 'all',
): unknown {
  if (!isObject(applied)) return clone(applied);
  const out: JsonObject = isObject(live) ? clone(live) : {};
  for (const [k, v] of Object.entries(applied)) {
    if (v === null || v === undefined) continue;
    if (scope === 'main' && k === 'status') continue;
    if (
      scope === 'status' &&
      k !== 'status' &&
      k !== 'metadata' &&
      k !== 'apiVersion' &&
      k !== 'kind'
    )
      continue;
    out[k] = mergeValue(out[k], v, cursor.child(k));
  }
  return out;
}

function mergeValue(
  live: unknown,
  applied: unknown,
  cursor: SchemaCursor,
): unknown {
  if (isObject(applied)) {
    if (cursor.isAtomicMap() || !isObject(live)) return stripNulls(applied);
    const out = clone(live);
    for (const [k, v] of Object.entries(applied)) {
      if (v === null || v === undefined) continue;
      out[k] = mergeValue(out[k], v, cursor.child(k));
    }
    return out;
  }
  if (Array.isArray(applied)) {
    const lt = cursor.listType();
    if (!Array.isArray(live) || lt === 'atomic') return stripNulls(applied);
    if (lt === 'set') {
      const out = [...applied];
      for (const l of live)
        if (!out.some(a => deepEqual(a, l))) out.push(clone(l));
      return out;
    }
    const keyOf = (item: unknown, i: number) =>
      listItemElement(item, i, cursor);
    const liveByKey = new Map<string, unknown>();
    live.forEach((l, i) => liveByKey.set(keyOf(l, i), l));
    const used = new Set<string>();
    const out: unknown[] = [];
    applied.forEach((a, i) => {
      const k = keyOf(a, i);
      used.add(k);
      out.push(
        liveByKey.has(k)
          ? mergeValue(liveByKey.get(k), a, cursor.items())
          : stripNulls(a),
      );
    });
    live.forEach((l, i) => {
      if (!used.has(keyOf(l, i))) out.push(clone(l));
    });
    return out;
  }
  return applied;
}

function stripNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(stripNulls);
  if (isObject(v)) {
    const out: JsonObject = {};
    for (const [k, x] of Object.entries(v))
      if (x !== null && x !== undefined) out[k] = stripNulls(x);
    return out;
  }
  return v;
}

/** Deletes the value at a field path (field, list item) if present. */
export function removePath(
  obj: unknown,
  els: string[],
  cursor: SchemaCursor,
): void {
  if (els.length === 0) return;
  let cur: unknown = obj;
  let c = cursor;
  // The object field holding `cur`, so that a list emptied by removing its last item goes too
  // (the API server's types omit empty lists: `ports: []` reads back as no `ports`).
  let holder: { object: JsonObject; key: string } | undefined;
  for (let i = 0; i < els.length; i++) {
    const el = els[i];
    const last = i === els.length - 1;
    const body = el.slice(2);
    if (el.startsWith('f:')) {
      if (!isObject(cur)) return;
      if (last) {
        delete cur[body];
        return;
      }
      holder = { object: cur, key: body };
      cur = cur[body];
      c = c.child(body);
    } else if (Array.isArray(cur)) {
      let idx = -1;
      const listCursor = c;
      if (el.startsWith('k:'))
        idx = cur.findIndex(
          (item, j) => listItemElement(item, j, listCursor) === el,
        );
      else if (el.startsWith('v:'))
        idx = cur.findIndex(
          item => canonicalJson(item) === canonicalJson(JSON.parse(body)),
        );
      else if (el.startsWith('i:')) idx = Number(body);
      if (idx < 0 || idx >= cur.length) return;
      if (last) {
        cur.splice(idx, 1);
        if (cur.length === 0 && holder) delete holder.object[holder.key];
        return;
      }
      holder = undefined;
      cur = cur[idx];
      c = c.items();
    } else {
      return;
    }
  }
}
