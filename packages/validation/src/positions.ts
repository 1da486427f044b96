import { isMap, isScalar, isSeq, LineCounter, Node } from 'yaml';

/** Where an object came from in a file: the YAML node of the object, for path → line lookups. @public */
export interface ManifestOrigin {
  file: string;
  /** The object's node (a document's contents, or an item of a `List`). */
  node: Node;
  lineCounter: LineCounter;
  /**
   * The JSON pointer of `node` within the object, when the file holds only part of it (a settings
   * file read as an object's `spec`): pointers under it are looked up relative to `node`.
   */
  base?: string;
}

/** Splits a JSON pointer into unescaped segments. */
export function parsePointer(pointer: string): string[] {
  if (!pointer) return [];
  return pointer
    .split('/')
    .slice(1)
    .map(s => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/**
 * The 1-based line and column a JSON pointer points at in the object's YAML: the key of the last
 * segment found, so a finding on `/spec/hosts/0` points at that list item and one on
 * `/spec/gateways` at the `gateways:` key. Missing segments (a field the user did not write)
 * stop the walk at the deepest one that exists, which is where the fix goes.
 */
export function positionOf(
  origin: ManifestOrigin,
  pointer: string | undefined,
): { line: number; column: number } {
  let node: unknown = origin.node;
  let offset = origin.node.range?.[0] ?? 0;
  let segments = parsePointer(pointer ?? '');
  if (origin.base) {
    const base = parsePointer(origin.base);
    const under = base.every((s, i) => segments[i] === s);
    segments = under ? segments.slice(base.length) : [];
  }
  for (const segment of segments) {
    if (isMap(node)) {
      const pair = node.items.find(
        p => isScalar(p.key) && String(p.key.value) === segment,
      );
      if (!pair) break;
      offset = (pair.key as Node).range?.[0] ?? offset;
      node = pair.value;
    } else if (isSeq(node)) {
      const item = node.items[Number(segment)] as Node | undefined;
      if (!item || !/^\d+$/.test(segment)) break;
      offset = item.range?.[0] ?? offset;
      node = item;
    } else {
      break;
    }
  }
  const { line, col } = origin.lineCounter.linePos(offset);
  return { line, column: col };
}
