import type {
  Analyzer,
  AnalyzerInput,
  KubeObject,
  MeshClusterView,
} from '@meshstage/plugin-mesh-node';
import {
  apiGroup,
  inputResource,
  isForbiddenError,
} from '@meshstage/plugin-mesh-node';
import { analyzerInputs } from './engine';

/**
 * A kind a validation could not read from the cluster: the caller may not list it (HTTP 403).
 * @public
 */
export interface UnreadableKind extends AnalyzerInput {
  /** The API server's message. */
  reason: string;
  /**
   * Titles of the mesh-wide settings a cluster keeps in this kind (`mesh config`), which the
   * validation may then have taken as the mesh's defaults.
   */
  settings?: readonly string[];
}

/** What {@link readClusterObjects} read: the objects, and the kinds it was refused. @public */
export interface ClusterObjects {
  objects: KubeObject[];
  unreadable: UnreadableKind[];
}

/**
 * Reads from a cluster the objects the analyzers declare they read (and the `extra` kinds, such
 * as those holding mesh settings), and nothing else: one list call per kind, in parallel. Kinds
 * the cluster does not serve (CRDs not installed) list as empty. A kind the caller may not list
 * (403) is left out and returned in `unreadable`, so that the rest is still validated; any other
 * failure rejects, and so does a 403 on every kind (nothing could be read).
 * @public
 */
export async function readClusterObjects(
  cluster: MeshClusterView,
  analyzers: readonly Analyzer[],
  extra: readonly AnalyzerInput[] = [],
): Promise<ClusterObjects> {
  const inputs = analyzerInputs(analyzers);
  const key = (i: AnalyzerInput) => `${apiGroup(i.apiVersion)}/${i.kind}`;
  const known = new Set(inputs.map(key));
  for (const input of extra) {
    if (!known.has(key(input))) {
      known.add(key(input));
      inputs.push(input);
    }
  }
  const unreadable: UnreadableKind[] = [];
  let forbidden: unknown;
  const lists = await Promise.all(
    inputs.map(async input => {
      let items: KubeObject[];
      try {
        items = await cluster.list(inputResource(input));
      } catch (error) {
        if (!isForbiddenError(error)) throw error;
        forbidden = error;
        unreadable.push({
          apiVersion: input.apiVersion,
          kind: input.kind,
          ...(input.plural && { plural: input.plural }),
          reason: error.statusMessage ?? error.message,
        });
        return [];
      }
      // Lists may omit apiVersion/kind on items; the input names what was asked for.
      return items.map(o => ({
        ...o,
        apiVersion: o.apiVersion || input.apiVersion,
        kind: o.kind || input.kind,
      }));
    }),
  );
  if (inputs.length > 0 && unreadable.length === inputs.length) throw forbidden;
  // In the order the kinds were asked for, not the order the answers came in.
  unreadable.sort(
    (a, b) =>
      inputs.findIndex(i => key(i) === key(a)) -
      inputs.findIndex(i => key(i) === key(b)),
  );
  return { objects: lists.flat(), unreadable };
}
