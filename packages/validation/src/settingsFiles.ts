import type {
  AnalyzerInput,
  KubeObject,
  Snapshot,
} from '@meshstage/plugin-mesh-node';
import { isScalar, LineCounter, Node, parseAllDocuments } from 'yaml';
import type { ManifestObject } from './parse';
import { parsePointer, positionOf } from './positions';
import type { ManifestOrigin } from './positions';

/** A problem in a settings file: where (JSON pointer into the document) and what. @public */
export interface SettingsProblem {
  path: string;
  message: string;
}

/** A {@link SettingsProblem} with its 1-based line and column in the file. @public */
export interface LocatedSettingsProblem extends SettingsProblem {
  /** The field as a user reads it: `defaultConfig.proxyMetadata`, `networks.n1.gateways[0].port`. */
  field: string;
  line: number;
  column: number;
}

/**
 * A kind of mesh-wide settings file a mesh reads besides its resources (Istio's MeshConfig given
 * to `istioctl analyze --meshConfigFile`): the object the file becomes in the analyzed snapshot
 * (the file's document is its `spec`), and the checks the mesh applies when it loads the file.
 * @public
 */
export interface SettingsFileKind {
  /** What the file is, in messages: `mesh config`. */
  title: string;
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
  /**
   * Checks the document: `errors` make the mesh reject the file, `warnings` it ignores (unknown
   * fields). Pointers are relative to the document. Pure.
   */
  check(value: unknown): {
    errors: SettingsProblem[];
    warnings: SettingsProblem[];
  };
  /**
   * Where a cluster keeps this file, when it keeps one (Istio: the `mesh` key of the `istio`
   * ConfigMap of the control plane's revision). A validation of a cluster given no such file reads
   * it from there, checked as the file would be.
   */
  inCluster?: SettingsInCluster;
}

/** How to find a settings file among a cluster's objects. @public */
export interface SettingsInCluster {
  /** The kinds to read from the cluster to find it. */
  inputs: readonly AnalyzerInput[];
  /**
   * The object that holds the file (a ConfigMap) and the `data` key whose value is its text, if
   * the objects hold one. Pure.
   */
  find(snapshot: Snapshot): { object: KubeObject; key: string } | undefined;
}

/**
 * What a mesh adapter may offer besides the `MeshAdapter` contract: the kinds of mesh-wide
 * settings files its rules read (Istio's mesh config and mesh networks), so that validating a
 * cluster reads them from where the cluster keeps them.
 * @public
 */
export interface MeshSettingsFiles {
  settingsFiles?(): readonly SettingsFileKind[];
}

/** A settings file the mesh would reject, with the first problem located. @public */
export class SettingsFileError extends Error {
  constructor(readonly file: string, readonly problem: LocatedSettingsProblem) {
    super(
      `${file}:${problem.line}:${problem.column}: ${
        problem.field ? `${problem.field}: ` : ''
      }${problem.message}`,
    );
    this.name = 'SettingsFileError';
  }
}

/** `/networks/n1/gateways/0/port` → `networks.n1.gateways[0].port`. */
export function fieldName(pointer: string): string {
  let out = '';
  for (const s of parsePointer(pointer)) {
    if (/^\d+$/.test(s)) out += `[${s}]`;
    else out += out ? `.${s}` : s;
  }
  return out;
}

/**
 * Reads a settings file's text as the object `kind` describes, checked as the mesh checks it:
 * one YAML document, a mapping (an empty file is the mesh's defaults). Throws
 * {@link SettingsFileError} naming the field and line of the first problem the mesh would reject;
 * returns the object (with its origin, so findings on it point into the file) and the problems the
 * mesh ignores. Pure: the caller reads the file.
 * @public
 */
export function readSettingsFile(
  file: string,
  text: string,
  kind: SettingsFileKind,
): { object: ManifestObject; warnings: LocatedSettingsProblem[] } {
  const lineCounter = new LineCounter();
  const fail = (offset: number, message: string, path = ''): never => {
    const { line, col } = lineCounter.linePos(offset);
    throw new SettingsFileError(file, {
      path,
      field: fieldName(path),
      message,
      line,
      column: col,
    });
  };
  const docs = parseAllDocuments(text, { lineCounter, uniqueKeys: true });
  const list = (Array.isArray(docs) ? docs : []).filter(d => {
    const c = d.contents as Node | null;
    return d.errors.length > 0 || (c && !(isScalar(c) && c.value === null));
  });
  if (list.length > 1)
    fail(
      (list[1].contents as Node | null)?.range?.[0] ?? 0,
      `a ${kind.title} file holds one YAML document, this one has ${list.length}`,
    );
  const doc = list[0];
  if (doc?.errors.length) {
    const err = doc.errors[0];
    fail(err.pos[0], `invalid YAML: ${err.message.split('\n')[0]}`);
  }
  const contents = (doc?.contents as Node | null) ?? undefined;
  const value: unknown = doc ? doc.toJS({ maxAliasCount: 1000 }) : {};
  if (!value || typeof value !== 'object' || Array.isArray(value))
    fail(
      contents?.range?.[0] ?? 0,
      `a ${kind.title} must be a mapping of fields, not ${
        Array.isArray(value) ? 'a list' : JSON.stringify(value)
      }`,
    );
  const object: KubeObject = {
    apiVersion: kind.apiVersion,
    kind: kind.kind,
    metadata: {
      name: kind.name,
      ...(kind.namespace !== undefined && { namespace: kind.namespace }),
    },
    spec: value as Record<string, unknown>,
  };
  const origin: ManifestOrigin | undefined = contents && {
    file,
    node: contents,
    lineCounter,
    base: '/spec',
  };
  const locate = (p: SettingsProblem): LocatedSettingsProblem => {
    const pos = origin
      ? positionOf(origin, `/spec${p.path}`)
      : { line: 1, column: 1 };
    return { ...p, field: fieldName(p.path), ...pos };
  };
  const { errors, warnings } = kind.check(value);
  if (errors.length) throw new SettingsFileError(file, locate(errors[0]));
  return {
    object: { object, ...(origin && { origin }) },
    warnings: warnings.map(locate),
  };
}
