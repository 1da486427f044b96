import type { KubeConfig } from '@kubernetes/client-node';
import type { KubeRequest } from '../kubeRequest';
import { openWatch, WatchEndedError } from './openWatch';
import type { ReflectorTransport } from './Reflector';

/**
 * A cluster's reflector transport: lists through the cluster's request function (bounded by the
 * cluster timeout, like every other read), watches through {@link openWatch} with the same
 * KubeConfig; watch failures name the cluster.
 */
export function createReflectorTransport(
  cluster: { name: string; url: string },
  kc: KubeConfig,
  request: KubeRequest,
  timeoutMs: number,
): ReflectorTransport {
  return {
    get: (path, query) => request('GET', path, { query }),
    watch(path, query, handlers) {
      const watch = openWatch(
        kc,
        cluster.url,
        path,
        query,
        handlers,
        timeoutMs,
      );
      return {
        abort: watch.abort,
        done: watch.done.then(error =>
          error
            ? new WatchEndedError(
                `cluster '${cluster.name}' ${error.message}`,
                error.statusCode,
              )
            : undefined,
        ),
      };
    },
  };
}
