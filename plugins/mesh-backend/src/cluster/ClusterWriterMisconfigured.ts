import type { ClusterWriter } from './ClusterWriter';

/**
 * The writer of a configured cluster MeshStage cannot talk to: every call rejects with the reason
 * (see `MisconfiguredClusterClient`), so a lifecycle operation on it fails with a clear message.
 */
export function misconfiguredClusterWriter(
  name: string,
  reason: string,
): ClusterWriter {
  const fail = async (): Promise<never> => {
    throw new Error(reason);
  };
  return {
    name,
    get: fail,
    apply: fail,
    create: fail,
    patch: fail,
    delete: fail,
    list: fail,
    podLogs: fail,
  };
}
