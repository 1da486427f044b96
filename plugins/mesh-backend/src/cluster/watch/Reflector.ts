import type {
  KubeListOptions,
  KubeObject,
  KubeResource,
} from '@meshstage/plugin-mesh-node';
import { kubeCollectionPath } from '@meshstage/plugin-mesh-node';
import { KubeApiError } from '../ClusterWriterError';
import type { KubeResponse } from '../kubeRequest';
import { ObjectStore } from './ObjectStore';
import type { OpenWatch, WatchEvent } from './openWatch';

/** How a reflector reaches its cluster: paged GETs for lists, a stream for the watch. */
export interface ReflectorTransport {
  get(
    path: string,
    query: Record<string, string | undefined>,
  ): Promise<KubeResponse>;
  watch(
    path: string,
    query: Record<string, string>,
    handlers: { onOpen: () => void; onEvent: (event: WatchEvent) => void },
  ): OpenWatch;
}

/** Tuning of a reflector; the defaults suit a portal. */
export interface ReflectorOptions {
  /** Objects this reflector may hold before it gives up caching (reads then go to the cluster). */
  maxObjects: number;
  /** Page size of the list. */
  pageSize?: number;
  /** Longest wait between reconnection attempts. */
  maxBackoffMs?: number;
  /** How long a resource the cluster does not serve stays known as absent before a new list. */
  absentRecheckMs?: number;
  /** How long a refused list (403) stays refused before it is tried again. */
  forbiddenRecheckMs?: number;
  /** The server-side timeout asked for each watch, in seconds (jittered by up to a quarter). */
  watchTimeoutSeconds?: number;
  /** Told about state changes, for logs. */
  onStateChange?: (state: ReflectorState, detail?: string) => void;
}

/** Where a reflector is. */
export type ReflectorState =
  /** Before the first list has answered. */
  | 'syncing'
  /** The store mirrors the cluster (the watch is open or reconnecting). */
  | 'synced'
  /** The cluster does not serve the resource (a CRD that is not installed). */
  | 'absent'
  /** The last list or watch attempt failed; reads fail with its reason until one succeeds. */
  | 'failed'
  /**
   * The API server refused the list (403: the service account may not list it here). Reads fail
   * with its message; listed again only every `forbiddenRecheckMs`, not with the retry backoff,
   * since a refusal lasts until someone changes the account's roles.
   */
  | 'forbidden'
  /** More objects than allowed: nothing is cached, reads go to the cluster. */
  | 'over-limit'
  | 'stopped';

/** Thrown by {@link Reflector.read} when the resource is too large to cache. */
export class OverLimitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OverLimitError';
  }
}

/** What a reflector reports about itself. */
export interface ReflectorStats {
  resource: string;
  namespace?: string;
  state: ReflectorState;
  objects: number;
  bytes: number;
  resourceVersion?: string;
  relists: number;
  reconnects: number;
  error?: string;
}

const GONE = 410;

/**
 * Keeps one resource type of one cluster (all namespaces, or one) in memory: lists it, then
 * watches from the list's resourceVersion with bookmarks, resumes from the last resourceVersion
 * seen when a watch ends, and lists again when the server says that version is gone (410).
 * Replayed events are harmless: the store keeps the newest state per object. Reads are answered
 * from memory and never wait on the cluster once the first list has answered.
 */
export class Reflector {
  readonly store: ObjectStore;
  readonly #path: string;
  readonly #options: Required<Omit<ReflectorOptions, 'onStateChange'>> &
    Pick<ReflectorOptions, 'onStateChange'>;
  #state: ReflectorState = 'syncing';
  #error?: Error;
  #resourceVersion?: string;
  #relists = 0;
  #reconnects = 0;
  #watch?: OpenWatch;
  /** Failed attempts in a row, for the backoff. */
  #failures = 0;
  #wake?: () => void;
  #firstSync: Promise<void>;
  #firstSyncDone!: () => void;
  /** When a read last asked for this resource: idle reflectors are stopped. */
  lastReadAt = Date.now();

  constructor(
    readonly resource: KubeResource,
    readonly namespace: string | undefined,
    private readonly transport: ReflectorTransport,
    options: ReflectorOptions,
  ) {
    const apiVersion = resource.group
      ? `${resource.group}/${resource.version}`
      : resource.version;
    this.store = new ObjectStore(apiVersion, '');
    this.#path = kubeCollectionPath(resource, namespace);
    this.#options = {
      pageSize: 500,
      maxBackoffMs: 30_000,
      absentRecheckMs: 10_000,
      forbiddenRecheckMs: 600_000,
      watchTimeoutSeconds: 300,
      ...options,
    };
    this.#firstSync = new Promise(resolve => {
      this.#firstSyncDone = resolve;
    });
    void this.#run();
  }

  get state(): ReflectorState {
    return this.#state;
  }

  /**
   * The objects a list with these options would return. Waits for the first list only; after
   * that answers from memory, or throws the reason the cluster cannot be read.
   */
  async read<T extends KubeObject = KubeObject>(
    options?: KubeListOptions,
  ): Promise<T[]> {
    this.lastReadAt = Date.now();
    await this.#firstSync;
    switch (this.#state) {
      case 'synced':
        return this.store.list<T>(options);
      case 'absent':
        return [];
      case 'over-limit':
        throw new OverLimitError(this.#error?.message ?? 'over limit');
      case 'stopped':
        throw new Error(`the view of ${this.#path} was stopped`);
      default:
        throw this.#error ?? new Error(`cannot read ${this.#path}`);
    }
  }

  /** Ends the watch and every timer. */
  stop(): void {
    this.#setState('stopped');
    this.#watch?.abort();
    this.#wake?.();
    this.#firstSyncDone();
  }

  stats(): ReflectorStats {
    const { group, version, plural } = this.resource;
    return {
      resource: group
        ? `${plural}.${version}.${group}`
        : `${plural}.${version}`,
      ...(this.namespace ? { namespace: this.namespace } : {}),
      state: this.#state,
      objects: this.store.size,
      bytes: this.store.bytes,
      ...(this.#resourceVersion
        ? { resourceVersion: this.#resourceVersion }
        : {}),
      relists: this.#relists,
      reconnects: this.#reconnects,
      ...(this.#error && this.#state !== 'synced'
        ? { error: this.#error.message }
        : {}),
    };
  }

  async #run(): Promise<void> {
    while (!this.#isStopped()) {
      let listed: boolean;
      try {
        listed = await this.#list();
      } catch (error) {
        if (error instanceof KubeApiError && error.code === 403) {
          this.#error = error;
          this.#setState('forbidden', error.message);
          await this.#sleep(this.#options.forbiddenRecheckMs);
          continue;
        }
        this.#fail(error as Error);
        await this.#sleep(this.#backoff(++this.#failures));
        continue;
      }
      if (this.#isStopped()) return;
      if (!listed) {
        // absent or over the limit: look again later
        await this.#sleep(
          this.#state === 'absent'
            ? this.#options.absentRecheckMs
            : this.#options.maxBackoffMs * 10,
        );
        continue;
      }
      this.#failures = 0;
      await this.#watchUntilGone();
    }
  }

  /** Lists every page; `false` when there is nothing to cache (absent, over the limit). */
  async #list(): Promise<boolean> {
    const items: Array<Record<string, unknown>> = [];
    let continueToken: string | undefined;
    let resourceVersion: string | undefined;
    let kind = '';
    do {
      const res = await this.transport.get(this.#path, {
        limit: String(this.#options.pageSize),
        continue: continueToken,
      });
      if (res.status === 404) {
        this.store.replace([]);
        this.#resourceVersion = undefined;
        this.#setState('absent');
        return false;
      }
      if (res.status < 200 || res.status > 299) {
        throw KubeApiError.fromResponse(
          `GET ${this.#path}`,
          res.status,
          res.text,
        );
      }
      const page = JSON.parse(res.text) as {
        kind?: string;
        metadata?: { continue?: string; resourceVersion?: string };
        items?: Array<Record<string, unknown>>;
      };
      kind = page.kind?.replace(/List$/, '') ?? kind;
      items.push(...(page.items ?? []));
      if (items.length > this.#options.maxObjects) {
        return this.#overLimit(items.length);
      }
      // A paged list is one snapshot: the first page's version is the snapshot's.
      resourceVersion ??= page.metadata?.resourceVersion;
      continueToken = page.metadata?.continue || undefined;
    } while (continueToken);
    this.store.replace(
      items.map(item => ({ ...item, kind: (item.kind as string) || kind })),
    );
    this.#resourceVersion = resourceVersion;
    this.#relists++;
    this.#setState('synced');
    return true;
  }

  /**
   * Watches from the last version until the server says it is gone (then the caller lists
   * again) or the reflector stops; resumes after every other end.
   */
  async #watchUntilGone(): Promise<void> {
    while (!this.#isStopped()) {
      const started = Date.now();
      const ended = await this.#watchOnce();
      if (this.#isStopped() || this.state === 'over-limit') return;
      if (ended === 'gone') return;
      this.#reconnects++;
      if (ended instanceof Error) {
        // Could not even open the watch: the cluster is unreachable or refusing us.
        this.#fail(ended);
        await this.#sleep(this.#backoff(++this.#failures));
      } else if (Date.now() - started < 1000) {
        // Opened and ended at once: a server cutting every watch must not make us spin.
        await this.#sleep(this.#backoff(1));
      }
    }
  }

  /**
   * One watch, to its end: `gone` when the version is too old, the error when it could not be
   * opened, `undefined` when it ended after it was open (a timeout, a cut: resume).
   */
  async #watchOnce(): Promise<'gone' | Error | undefined> {
    let gone = false;
    let opened = false;
    const jitter = Math.floor(
      Math.random() * (this.#options.watchTimeoutSeconds / 4),
    );
    const watch = this.transport.watch(
      this.#path,
      {
        resourceVersion: this.#resourceVersion ?? '',
        allowWatchBookmarks: 'true',
        timeoutSeconds: String(this.#options.watchTimeoutSeconds + jitter),
      },
      {
        onOpen: () => {
          opened = true;
          this.#failures = 0;
          this.#setState('synced');
        },
        onEvent: event => {
          if (this.#handle(event) === GONE) {
            gone = true;
            watch.abort();
          }
        },
      },
    );
    this.#watch = watch;
    const ended = await watch.done;
    this.#watch = undefined;
    if (gone || ended?.statusCode === GONE) return 'gone';
    return ended && !opened ? ended : undefined;
  }

  /** Applies one event; returns 410 when the watch's version is too old. */
  #handle(event: WatchEvent): number | undefined {
    const version = (event.object?.metadata as { resourceVersion?: string })
      ?.resourceVersion;
    switch (event.type) {
      case 'ADDED':
      case 'MODIFIED':
      case 'DELETED':
        this.store.apply({
          type: event.type,
          object: event.object as unknown as KubeObject,
        });
        if (version) this.#resourceVersion = version;
        if (this.store.size > this.#options.maxObjects) {
          this.#overLimit(this.store.size);
          this.#watch?.abort();
        }
        return undefined;
      case 'BOOKMARK':
        if (version) this.#resourceVersion = version;
        return undefined;
      case 'ERROR': {
        // 410 (the version was compacted away) and any other in-stream error alike: start over
        // from a fresh list, the one way to be sure nothing was missed.
        return GONE;
      }
      default:
        return undefined;
    }
  }

  #overLimit(count: number): false {
    this.store.replace([]);
    this.#resourceVersion = undefined;
    this.#error = new Error(
      `${this.#path} has ${count} objects, more than the view keeps (${
        this.#options.maxObjects
      }, mesh.watchCache.maxObjectsPerResource)`,
    );
    this.#setState('over-limit', this.#error.message);
    return false;
  }

  // A method, not a comparison: awaits in between can change the state behind TypeScript's back.
  #isStopped(): boolean {
    return this.#state === 'stopped';
  }

  #fail(error: Error): void {
    this.#error = error;
    this.#setState('failed', error.message);
  }

  #setState(state: ReflectorState, detail?: string): void {
    if (this.#isStopped()) return;
    const changed = this.#state !== state;
    this.#state = state;
    if (state !== 'syncing') this.#firstSyncDone();
    if (changed) this.#options.onStateChange?.(state, detail);
  }

  #backoff(failures: number): number {
    const base = Math.min(
      this.#options.maxBackoffMs,
      250 * 2 ** Math.min(failures, 10),
    );
    return base / 2 + Math.random() * (base / 2);
  }

  /** Waits, or less when stopped. */
  #sleep(ms: number): Promise<void> {
    if (this.#isStopped()) return Promise.resolve();
    return new Promise(resolve => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.#wake = done;
    });
  }
}
