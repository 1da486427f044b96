import type { LoadOptions, Thresholds } from '@meshstage/loadgen';
import {
  profileInputSchema,
  toLoadOptions,
  toThresholds,
  type ProfileSpec,
} from '@meshstage/plugin-mesh-backend/profile';
import {
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  type Document,
} from 'yaml';
import { BenchInputError } from './inputError';

/** What a profile file asks `meshstage bench` to do. */
export interface BenchProfile {
  spec: ProfileSpec;
  load: LoadOptions;
  /** The profile's own thresholds (`maxP99`, `maxErrorRate`), empty when it has none. */
  thresholds: Thresholds;
}

/**
 * Line and column of a field in the document: its key, or the deepest part of the path that
 * exists when the field is missing (where it has to be added).
 */
function positionOf(
  doc: Document,
  fieldPath: (string | number)[],
  lines: LineCounter,
): string {
  let node: unknown = doc.contents;
  let offset = doc.contents?.range?.[0] ?? 0;
  for (const segment of fieldPath) {
    if (isMap(node)) {
      const pair = node.items.find(
        p => isScalar(p.key) && String(p.key.value) === String(segment),
      );
      if (!pair || !isScalar(pair.key)) break;
      offset = pair.key.range?.[0] ?? offset;
      node = pair.value;
    } else if (isSeq(node)) {
      const item = node.items[Number(segment)];
      if (!item || typeof item !== 'object' || !('range' in item)) break;
      offset = (item.range as [number])[0] ?? offset;
      node = item;
    } else {
      break;
    }
  }
  const { line, col } = lines.linePos(offset);
  return `${line}:${col}`;
}

/**
 * Reads a performance profile, YAML or JSON, in the shape the backend accepts at
 * `POST /benchmark/profiles` (its own zod schema, defaults applied), and maps it onto the load
 * the backend would send from its own process. Pure.
 *
 * @param text - the file's contents
 * @param name - the file as the user named it, for messages
 * @throws BenchInputError with `name:line:column:` and the field at fault
 */
export function parseProfile(
  text: string,
  name: string,
  labels?: string,
): BenchProfile {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  const [syntax] = doc.errors;
  if (syntax) {
    const at = syntax.linePos?.[0];
    throw new BenchInputError(
      `${name}${
        at ? `:${at.line}:${at.col}` : ''
      }: not a valid profile: ${syntax.message
        .split('\n')[0]
        // The position is already in front.
        .replace(/ at line \d+, column \d+:?$/, '')}`,
    );
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 1000 });
  } catch (e) {
    // An alias bomb ("Excessive alias count") or a document nested too deep.
    throw new BenchInputError(
      `${name}: not a valid profile: ${
        String((e as Error)?.message).split('\n')[0]
      }`,
    );
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new BenchInputError(
      `${name}: not a valid profile: expected a mapping of profile fields (name, endpoints, ...)`,
    );
  }
  const parsed = profileInputSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    // An unknown field is reported on its own key rather than on the object holding it.
    const fieldPath =
      issue.code === 'unrecognized_keys'
        ? [...issue.path, issue.keys[0]]
        : issue.path;
    throw new BenchInputError(
      `${name}:${positionOf(doc, fieldPath, lines)}: profile field '${
        fieldPath.join('.') || '(root)'
      }': ${issue.message}`,
    );
  }
  const spec = parsed.data;
  if (spec.inCluster) {
    throw new BenchInputError(
      `${name}:${positionOf(
        doc,
        ['inCluster'],
        lines,
      )}: profile field 'inCluster': ` +
        'meshstage bench sends the load from this machine; in-cluster profiles run through the backend',
    );
  }
  // The backend refuses link-local and metadata targets because it runs load on behalf of
  // others; this command runs as its user, like meshperf, which allows them.
  const { denyLinkLocal: _backendOnly, ...load } = toLoadOptions(spec);
  return {
    spec,
    load: { ...load, ...(labels ? { labels } : {}) },
    thresholds: toThresholds(spec) ?? {},
  };
}
