import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { InFlight } from '../service/InFlight';

/** One chart version in a repository index (`index.yaml` `entries.<chart>[]`), as kept. */
export interface ChartIndexEntry {
  version: string;
  appVersion?: string;
  /** Archive URLs, absolute or relative to the repository. */
  urls: string[];
  /** `sha256` of the archive, hex. */
  digest?: string;
  deprecated?: boolean;
}

/** A repository index, reduced to what MeshStage reads. */
export interface ChartIndex {
  /** The repository URL (without `/index.yaml`). */
  repository: string;
  /** When it was read from the repository (ISO). */
  fetchedAt: string;
  etag?: string;
  entries: Record<string, ChartIndexEntry[]>;
}

export type FetchFn = typeof fetch;

/**
 * Reads a repository's index from the network (`previous` is the copy in memory, for a
 * conditional read). The HTTP Helm repositories' `index.yaml` by default; OCI repositories list
 * their tags instead (`readOciIndex`).
 */
export type ChartIndexReader = (
  repository: string,
  previous: ChartIndex | undefined,
) => Promise<ChartIndex>;

export interface ChartIndexCacheOptions {
  /** Directory of the on-disk copies (`<cacheDir>/indexes`). */
  cacheDir: string;
  fetchTimeoutMs: number;
  fetch?: FetchFn;
}

/** Parses an `index.yaml`, keeping each entry's version, appVersion, urls, digest, deprecation. */
export function parseChartIndex(
  text: string,
  repository: string,
  fetchedAt: string,
  etag?: string,
): ChartIndex {
  // Vendor indexes are large (Istio's lists every chart of every release): no aliases expected.
  const raw = parse(text, { maxAliasCount: 100 }) as {
    apiVersion?: string;
    entries?: Record<string, unknown[]>;
  } | null;
  if (!raw || typeof raw !== 'object' || typeof raw.entries !== 'object') {
    throw new Error(
      `${repository}/index.yaml is not a Helm repository index (no 'entries')`,
    );
  }
  const entries: Record<string, ChartIndexEntry[]> = {};
  for (const [chart, list] of Object.entries(raw.entries ?? {})) {
    entries[chart] = (Array.isArray(list) ? list : []).flatMap(e => {
      const entry = e as Record<string, unknown>;
      if (!entry || entry.version === undefined) return [];
      return [
        {
          version: String(entry.version),
          appVersion:
            entry.appVersion === undefined
              ? undefined
              : String(entry.appVersion),
          urls: Array.isArray(entry.urls) ? entry.urls.map(String) : [],
          digest: typeof entry.digest === 'string' ? entry.digest : undefined,
          deprecated: entry.deprecated === true ? true : undefined,
        },
      ];
    });
  }
  return { repository, fetchedAt, etag, entries };
}

const key = (repository: string) =>
  createHash('sha256').update(repository).digest('hex').slice(0, 24);

/**
 * Chart repository indexes: in memory, on disk (so a restart offline still knows the versions),
 * and from the repository. `get` reads the network only when neither copy exists; `refresh`
 * always asks the repository (conditionally, with the last ETag) and keeps the old copy when it
 * fails.
 */
export class ChartIndexCache {
  readonly #memory = new Map<string, ChartIndex>();
  readonly #inflight = new InFlight<string, ChartIndex>();
  readonly #dir: string;
  readonly #fetch: FetchFn;

  constructor(private readonly options: ChartIndexCacheOptions) {
    this.#dir = path.join(options.cacheDir, 'indexes');
    this.#fetch = options.fetch ?? fetch;
  }

  /** The index in memory, if any; never reads disk or network. */
  peek(repository: string): ChartIndex | undefined {
    return this.#memory.get(normalize(repository));
  }

  /** Loads the on-disk copy into memory (when there is one and memory has none). */
  async loadFromDisk(repository: string): Promise<ChartIndex | undefined> {
    const repo = normalize(repository);
    const known = this.#memory.get(repo);
    if (known) return known;
    try {
      const index = JSON.parse(
        await fs.readFile(path.join(this.#dir, `${key(repo)}.json`), 'utf8'),
      ) as ChartIndex;
      if (index.repository !== repo) return undefined;
      this.#memory.set(repo, index);
      return index;
    } catch {
      return undefined;
    }
  }

  /** The index: memory, else disk, else the repository (through `read`, `index.yaml` by default). */
  async get(repository: string, read?: ChartIndexReader): Promise<ChartIndex> {
    const repo = normalize(repository);
    return (
      this.#memory.get(repo) ??
      (await this.loadFromDisk(repo)) ??
      (await this.refresh(repo, read))
    );
  }

  /**
   * Reads the index from the repository now (one read at a time per repository), through `read`
   * (the HTTP repository's `index.yaml` by default), and keeps it in memory and on disk.
   */
  refresh(repository: string, read?: ChartIndexReader): Promise<ChartIndex> {
    const repo = normalize(repository);
    return this.#inflight.run(repo, () =>
      this.#download(repo, read ?? this.#readIndexYaml),
    );
  }

  async #download(repo: string, read: ChartIndexReader): Promise<ChartIndex> {
    const index = await read(repo, this.#memory.get(repo));
    this.#memory.set(repo, index);
    await fs.mkdir(this.#dir, { recursive: true });
    const file = path.join(this.#dir, `${key(repo)}.json`);
    const tmp = `${file}.${process.pid}.tmp`;
    await fs.writeFile(tmp, JSON.stringify(index));
    await fs.rename(tmp, file);
    return index;
  }

  /** An HTTP Helm repository's `index.yaml`, conditional on the previous copy's ETag. */
  readonly #readIndexYaml: ChartIndexReader = async (repo, previous) => {
    const url = `${repo}/index.yaml`;
    let response: Response;
    try {
      response = await this.#fetch(url, {
        headers: previous?.etag ? { 'if-none-match': previous.etag } : {},
        signal: AbortSignal.timeout(this.options.fetchTimeoutMs),
      });
    } catch (error) {
      throw new Error(
        `Could not read the chart index ${url}: ${describe(error)}`,
      );
    }
    const fetchedAt = new Date().toISOString();
    let index: ChartIndex;
    if (response.status === 304 && previous) {
      index = { ...previous, fetchedAt };
    } else if (!response.ok) {
      throw new Error(
        `Could not read the chart index ${url}: HTTP ${response.status}`,
      );
    } else {
      index = parseChartIndex(
        await response.text(),
        repo,
        fetchedAt,
        response.headers.get('etag') ?? undefined,
      );
    }
    return index;
  };
}

/** A repository URL without trailing slashes or `/index.yaml`. */
export function normalize(repository: string): string {
  return repository.replace(/\/index\.yaml$/, '').replace(/\/+$/, '');
}

export function describe(error: unknown): string {
  const e = error as Error & { cause?: Error & { code?: string } };
  if (e?.name === 'TimeoutError') return 'timed out';
  const cause = e?.cause?.code ?? e?.cause?.message;
  return cause ? `${e.message} (${cause})` : String(e?.message ?? error);
}
