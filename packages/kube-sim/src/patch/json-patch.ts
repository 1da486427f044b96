import { clone, deepEqual, isObject } from '../util/objects';

/** A failure applying a JSON patch; the message is what the API server reports. */
export class PatchError extends Error {}

export interface JsonPatchOp {
  op: string;
  path: string;
  from?: string;
  value?: unknown;
}

function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/'))
    throw new PatchError(`invalid JSON pointer: ${JSON.stringify(pointer)}`);
  return pointer
    .slice(1)
    .split('/')
    .map(s => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

type Container = Record<string, unknown> | unknown[];

function parentOf(
  doc: unknown,
  tokens: string[],
  pointer: string,
): { parent: Container; key: string } {
  let cur: unknown = doc;
  for (let i = 0; i < tokens.length - 1; i++) {
    const t = tokens[i];
    if (Array.isArray(cur)) {
      const idx = Number(t);
      if (!/^\d+$/.test(t) || idx >= cur.length)
        throw new PatchError(
          `doc is missing path: "${pointer}": missing value`,
        );
      cur = cur[idx];
    } else if (isObject(cur)) {
      if (!(t in cur))
        throw new PatchError(
          `doc is missing path: "${pointer}": missing value`,
        );
      cur = cur[t];
    } else {
      throw new PatchError(`doc is missing path: "${pointer}": missing value`);
    }
  }
  if (!Array.isArray(cur) && !isObject(cur))
    throw new PatchError(`doc is missing path: "${pointer}": missing value`);
  return { parent: cur, key: tokens[tokens.length - 1] };
}

function getAt(doc: unknown, pointer: string): unknown {
  const tokens = parsePointer(pointer);
  if (tokens.length === 0) return doc;
  const { parent, key } = parentOf(doc, tokens, pointer);
  if (Array.isArray(parent)) {
    const idx = Number(key);
    if (!/^\d+$/.test(key) || idx >= parent.length)
      throw new PatchError(`doc is missing path: "${pointer}": missing value`);
    return parent[idx];
  }
  if (!(key in parent))
    throw new PatchError(`doc is missing path: "${pointer}": missing value`);
  return parent[key];
}

function removeAt(doc: unknown, pointer: string): unknown {
  const tokens = parsePointer(pointer);
  if (tokens.length === 0)
    throw new PatchError('cannot remove the document root');
  const { parent, key } = parentOf(doc, tokens, pointer);
  if (Array.isArray(parent)) {
    const idx = Number(key);
    if (!/^\d+$/.test(key) || idx >= parent.length) {
      throw new PatchError(
        `unable to remove nonexistent key: ${key}: missing value`,
      );
    }
    return parent.splice(idx, 1)[0];
  }
  if (!(key in parent))
    throw new PatchError(
      `unable to remove nonexistent key: ${key}: missing value`,
    );
  const v = parent[key];
  delete parent[key];
  return v;
}

function addAt(
  doc: unknown,
  pointer: string,
  value: unknown,
  replace: boolean,
): unknown {
  const tokens = parsePointer(pointer);
  if (tokens.length === 0) return value;
  const { parent, key } = parentOf(doc, tokens, pointer);
  if (Array.isArray(parent)) {
    if (key === '-' && !replace) {
      parent.push(value);
    } else {
      const idx = Number(key);
      if (
        !/^\d+$/.test(key) ||
        idx > parent.length ||
        (replace && idx >= parent.length)
      ) {
        throw new PatchError(
          `Unable to access invalid index: ${key}: invalid index referenced`,
        );
      }
      if (replace) parent[idx] = value;
      else parent.splice(idx, 0, value);
    }
  } else {
    if (replace && !(key in parent)) {
      throw new PatchError(
        `replace operation does not apply: doc is missing key: ${pointer}: missing value`,
      );
    }
    parent[key] = value;
  }
  return doc;
}

/** Applies an RFC 6902 JSON patch to a copy of the document. */
export function applyJsonPatch(doc: unknown, ops: unknown): unknown {
  if (!Array.isArray(ops))
    throw new PatchError(
      'json: cannot unmarshal object into Go value of type jsonpatch.Patch',
    );
  let out = clone(doc);
  for (const raw of ops) {
    if (
      !isObject(raw) ||
      typeof raw.op !== 'string' ||
      typeof raw.path !== 'string'
    ) {
      throw new PatchError('Unexpected kind: unknown');
    }
    const op = raw as unknown as JsonPatchOp;
    switch (op.op) {
      case 'add':
        out = addAt(out, op.path, clone(op.value), false);
        break;
      case 'replace':
        out = addAt(out, op.path, clone(op.value), true);
        break;
      case 'remove':
        removeAt(out, op.path);
        break;
      case 'move': {
        const v = removeAt(out, op.from ?? '');
        out = addAt(out, op.path, v, false);
        break;
      }
      case 'copy':
        out = addAt(out, op.path, clone(getAt(out, op.from ?? '')), false);
        break;
      case 'test': {
        const v = getAt(out, op.path);
        if (!deepEqual(v, op.value))
          throw new PatchError(`testing value ${op.path} failed: test failed`);
        break;
      }
      default:
        throw new PatchError(`Unexpected kind: ${op.op}`);
    }
  }
  return out;
}
