import type {
  Analyzer,
  KubeObject,
  MeshClusterView,
} from '@meshstage/plugin-mesh-node';
import { inputResource } from '@meshstage/plugin-mesh-node';
import { analyzerInputs } from './engine';

/**
 * Reads from a cluster the objects the analyzers declare they read, and nothing else: one list
 * call per kind, in parallel. Kinds the cluster does not serve (CRDs not installed) list as empty.
 * @public
 */
export async function readClusterObjects(
  cluster: MeshClusterView,
  analyzers: readonly Analyzer[],
): Promise<KubeObject[]> {
  const lists = await Promise.all(
    analyzerInputs(analyzers).map(async input => {
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
