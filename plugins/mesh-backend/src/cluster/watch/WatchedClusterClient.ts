import type { LoggerService } from '@backstage/backend-plugin-api';
import type {
  KubeListOptions,
  KubeObject,
  KubeResource,
} from '@meshstage/plugin-mesh-node';
import { KubeApiError } from '../ClusterWriterError';
import type { ClusterClient } from '../types';
import {
  OverLimitError,
  Reflector,
  type ReflectorStats,
  type ReflectorTransport,
} from './Reflector';

/** Settings of a cluster's view (`mesh.watchCache`). */
export interface WatchCacheSettings {
  /** Objects one resource type may have before it is read from the cluster instead. */
  maxObjectsPerResource: number;
  /** A resource type nobody has read for this long is no longer watched. */
  idleTimeoutMs: number;
  /** How long `/version` answers are reused. */
  versionTtlMs: number;
  /** How long a type the cluster does not serve is taken as absent before it is listed again. */
  absentRecheckMs?: number;
}

/** What a cluster's view holds, for `/clusters` and the logs. */
export interface WatchCacheStats {
  objects: number;
  /** Approximate: the JSON length of the objects held. */
  bytes: number;
  resources: ReflectorStats[];
}

// Secrets are read only by planning, which reads the cluster directly; keeping every Secret of a
// cluster in a long-lived process is a risk with no reader to pay for it.
const UNCACHED = new Set(['/v1/secrets']);

/**
 * A cluster read through an in-memory view kept by watches: the first read of a resource type
 * starts a {@link Reflector} for it (all namespaces), later reads are answered from memory. The
 * view holds only the types MeshStage has read, and stops watching a type nobody reads. Types over
 * the size limit, Secrets, and namespaced reads the service account may not make cluster-wide
 * go to the cluster directly.
 */
export class WatchedClusterClient implements ClusterClient {
  readonly name: string;
  readonly url: string;
  readonly title?: string;
  readonly #reflectors = new Map<string, Reflector>();
  #version?: { value?: string; error?: Error; at: number };
  #versionRefresh?: Promise<void>;
  #sweeper?: NodeJS.Timeout;
  /** Bumped when a type starts or stops being watched. */
  #epoch = 0;

  constructor(
    private readonly direct: ClusterClient,
    private readonly transport: ReflectorTransport,
    private readonly settings: WatchCacheSettings,
    private readonly logger?: LoggerService,
  ) {
    this.name = direct.name;
    this.url = direct.url;
    this.title = direct.title;
  }

  async list<T extends KubeObject = KubeObject>(
    resource: KubeResource,
    options?: KubeListOptions,
  ): Promise<T[]> {
    if (
      UNCACHED.has(`${resource.group}/${resource.version}/${resource.plural}`)
    ) {
      return this.direct.list<T>(resource, options);
    }
    const all = this.#reflector(resource, undefined);
    try {
      return await all.read<T>(options);
    } catch (error) {
      if (error instanceof OverLimitError) {
        return this.direct.list<T>(resource, options);
      }
      // A service account allowed into some namespaces only: watch the namespace asked for.
      if (
        error instanceof KubeApiError &&
        error.code === 403 &&
        options?.namespace
      ) {
        return this.#reflector(resource, options.namespace).read<T>(options);
      }
      throw error;
    }
  }

  /** The server version, refreshed in the background once older than `versionTtlMs`. */
  async serverVersion(): Promise<string> {
    const cached = this.#version;
    if (!cached) {
      await this.#refreshVersion();
    } else if (Date.now() - cached.at > this.settings.versionTtlMs) {
      void this.#refreshVersion();
    }
    const { value, error } = this.#version!;
    if (value === undefined) throw error;
    return value;
  }

  /**
   * A token that changes whenever anything this view answers could: any object of any watched
   * type, a type starting or stopping to be watched, a type's health. Lets a reader keep what it
   * derives from the view (an index) until the view moves. `undefined` while any type is not in
   * sync (reads may fail or be partial: derive nothing then).
   */
  viewVersion(): string | undefined {
    let changes = 0;
    for (const reflector of this.#reflectors.values()) {
      // Forbidden is as settled as absent: it changes only when the list is tried again.
      if (
        reflector.state !== 'synced' &&
        reflector.state !== 'absent' &&
        reflector.state !== 'forbidden'
      ) {
        return undefined;
      }
      changes += reflector.store.changes;
    }
    return `${this.#epoch}:${this.#reflectors.size}:${changes}`;
  }

  stats(): WatchCacheStats {
    const resources = [...this.#reflectors.values()].map(r => r.stats());
    return {
      objects: resources.reduce((sum, r) => sum + r.objects, 0),
      bytes: resources.reduce((sum, r) => sum + r.bytes, 0),
      resources,
    };
  }

  /** Stops every watch; later reads start them again. */
  stop(): void {
    clearInterval(this.#sweeper);
    this.#sweeper = undefined;
    for (const reflector of this.#reflectors.values()) reflector.stop();
    this.#reflectors.clear();
  }

  #reflector(resource: KubeResource, namespace: string | undefined): Reflector {
    const key = `${resource.group}/${resource.version}/${resource.plural}/${
      namespace ?? ''
    }`;
    let reflector = this.#reflectors.get(key);
    if (!reflector) {
      const what = namespace
        ? `${resource.plural} in namespace ${namespace}`
        : resource.plural;
      reflector = new Reflector(resource, namespace, this.transport, {
        maxObjects: this.settings.maxObjectsPerResource,
        ...(this.settings.absentRecheckMs
          ? { absentRecheckMs: this.settings.absentRecheckMs }
          : {}),
        onStateChange: (state, detail) => {
          if (
            state === 'failed' ||
            state === 'over-limit' ||
            state === 'forbidden'
          ) {
            this.logger?.warn(
              `Cluster '${this.name}' view of ${what}: ${state}${
                detail ? `: ${detail}` : ''
              }`,
            );
          } else if (state === 'synced') {
            this.logger?.debug(
              `Cluster '${this.name}' view of ${what}: synced`,
            );
          }
        },
      });
      this.#reflectors.set(key, reflector);
      this.#epoch++;
      this.#startSweeper();
    }
    return reflector;
  }

  #startSweeper(): void {
    if (this.#sweeper) return;
    const every = Math.min(60_000, this.settings.idleTimeoutMs);
    this.#sweeper = setInterval(() => this.#sweep(), every);
    this.#sweeper.unref();
  }

  #sweep(): void {
    const now = Date.now();
    for (const [key, reflector] of this.#reflectors) {
      if (now - reflector.lastReadAt > this.settings.idleTimeoutMs) {
        reflector.stop();
        this.#reflectors.delete(key);
        this.#epoch++;
      }
    }
  }

  #refreshVersion(): Promise<void> {
    this.#versionRefresh ??= this.direct
      .serverVersion()
      .then(
        value => {
          this.#version = { value, at: Date.now() };
        },
        (error: Error) => {
          this.#version = { error, at: Date.now() };
        },
      )
      .finally(() => {
        this.#versionRefresh = undefined;
      });
    return this.#versionRefresh;
  }
}
