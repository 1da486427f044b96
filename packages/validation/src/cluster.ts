import type {
  Analyzer,
  AnalyzerInput,
  KubeObject,
  MeshClusterView,
} from '@meshstage/plugin-mesh-node';
import { apiGroup, inputResource } from '@meshstage/plugin-mesh-node';
import { analyzerInputs } from './engine';

/**
 * Reads from a cluster the objects the analyzers declare they read (and the `extra` kinds, such
 * as those holding mesh settings), and nothing else: one list call per kind, in parallel. Kinds
 * the cluster does not serve (CRDs not installed) list as empty.
 * @public
 */
export async function readClusterObjects(
  cluster: MeshClusterView,
  analyzers: readonly Analyzer[],
  extra: readonly AnalyzerInput[] = [],
): Promise<KubeObject[]> {
  const inputs = analyzerInputs(analyzers);
  const key = (i: AnalyzerInput) => `${apiGroup(i.apiVersion)}/${i.kind}`;
  const known = new Set(inputs.map(key));
  for (const input of extra) {
    if (!known.has(key(input))) {
      known.add(key(input));
      inputs.push(input);
    }
  }
  const lists = await Promise.all(
    inputs.map(async input => {
      const items = await cluster.list(inputResource(input));
      // Lists may omit apiVersion/kind on items; the input names what was asked for.
      return items.map(o => ({
        ...o,
        apiVersion: o.apiVersion || input.apiVersion,
        kind: o.kind || input.kind,
      }));
    }),
  );
  return lists.flat();
}
