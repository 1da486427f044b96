import type { KubeObject } from '@meshstage/plugin-mesh-node';
import type { ClusterClient } from './types';

/**
 * Stands in for a configured cluster MeshStage cannot talk to (unsupported auth provider, plain
 * HTTP without skipTLSVerify ...), so that it still shows up, with the reason, wherever clusters
 * are listed instead of disappearing or failing the whole request.
 */
export class MisconfiguredClusterClient implements ClusterClient {
  readonly name: string;
  readonly url: string;
  readonly title?: string;
  readonly #reason: string;

  constructor(
    cluster: { name: string; url: string; title?: string },
    reason: string,
  ) {
    this.name = cluster.name;
    this.url = cluster.url;
    this.title = cluster.title;
    this.#reason = reason;
  }

  async serverVersion(): Promise<string> {
    throw new Error(this.#reason);
  }

  async list<T extends KubeObject = KubeObject>(): Promise<T[]> {
    throw new Error(this.#reason);
  }
}
