import type { KubeObject, MeshClusterView } from '@meshstage/plugin-mesh-node';
import { deepFreeze } from '../cluster/watch/deepFreeze';

/**
 * Wraps a cluster view so that identical list calls within one request hit the cluster once:
 * every adapter lists namespaces and pods, and they should share one read (and one failure).
 * Create one per request, never share it across requests, or results would go stale.
 */
export function cachedClusterView(view: MeshClusterView): MeshClusterView {
  const cache = new Map<string, Promise<KubeObject[]>>();
  return {
    name: view.name,
    list<T extends KubeObject = KubeObject>(
      ...args: Parameters<MeshClusterView['list']>
    ): Promise<T[]> {
      const [resource, options] = args;
      const key = JSON.stringify([
        resource.group,
        resource.version,
        resource.plural,
        options?.namespace ?? '',
        options?.labelSelector ?? '',
      ]);
      let result = cache.get(key);
      if (!result) {
        // Frozen, not copied: adapters share the objects and none can change them for the others
        // (objects from a watched view are frozen already, and this costs them nothing).
        result = view
          .list(resource, options)
          .then(items => items.map(deepFreeze));
        cache.set(key, result);
      }
      return result.then(items => items.slice() as T[]);
    },
  };
}
