import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parse } from 'yaml';
import { InFlight } from '../service/InFlight';
import type { ChartIndexEntry, FetchFn } from './ChartIndexCache';
import { describe } from './ChartIndexCache';
import type { HelmPuller } from './helm';
import { OciRegistryClient, redactSecrets, versionToTag } from './oci';
import { archiveUrl, type EffectiveRepository } from './repositories';

/** What `helm template` is given for a chart: a local archive (or an OCI reference + version). */
export interface ChartLocation {
  /** Path of a `.tgz` (or an `oci://` reference). */
  ref: string;
  /** Set for OCI references (`--version`). */
  version?: string;
  /** Where it came from: `download` from an HTTP repository, `pull` from an OCI one by helm. */
  from: 'localDir' | 'cache' | 'download' | 'pull';
}

/** The files of a gzipped tar archive whose names match, as text. A minimal ustar reader. */
export function readTarGzFiles(
  archive: Buffer,
  match: (name: string) => boolean,
): Map<string, string> {
  const tar = gunzipSync(archive);
  const files = new Map<string, string>();
  let offset = 0;
  let longName: string | undefined;
  while (offset + 512 <= tar.length) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every(b => b === 0)) break;
    const field = (start: number, length: number) =>
      header
        .subarray(start, start + length)
        .toString('utf8')
        .replace(/\0.*$/s, '');
    const size = parseInt(field(124, 12).trim() || '0', 8);
    const type = field(156, 1);
    const prefix = field(345, 155);
    let name =
      longName ?? (prefix ? `${prefix}/${field(0, 100)}` : field(0, 100));
    longName = undefined;
    const body = tar.subarray(offset + 512, offset + 512 + size);
    if (type === 'L') {
      longName = body.toString('utf8').replace(/\0.*$/s, '');
    } else if (type === 'x') {
      const pathRecord = /\d+ path=([^\n]*)\n/.exec(body.toString('utf8'));
      if (pathRecord) longName = pathRecord[1];
    } else if ((type === '0' || type === '') && match(name)) {
      files.set(name, body.toString('utf8'));
    }
    name = '';
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return files;
}

/** `Chart.yaml` of a chart archive: its name, version and appVersion. */
export function readChartMetadata(archive: Buffer): {
  name: string;
  version: string;
  appVersion?: string;
} {
  const files = readTarGzFiles(archive, n => /^[^/]+\/Chart\.yaml$/.test(n));
  const text = [...files.values()][0];
  if (!text) throw new Error('not a chart archive: no <chart>/Chart.yaml');
  const chart = parse(text) as Record<string, unknown>;
  return {
    name: String(chart.name),
    version: String(chart.version),
    appVersion:
      chart.appVersion === undefined ? undefined : String(chart.appVersion),
  };
}

/** Archives in a local directory: `<name>-<version>.tgz`, read for their Chart.yaml. */
export async function listLocalArchives(
  dir: string,
  chart: string,
): Promise<Array<{ file: string; version: string; appVersion?: string }>> {
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch {
    return [];
  }
  const out: Array<{ file: string; version: string; appVersion?: string }> = [];
  for (const name of names) {
    if (!name.startsWith(`${chart}-`) || !name.endsWith('.tgz')) continue;
    const file = path.join(dir, name);
    try {
      const meta = readChartMetadata(await fs.readFile(file));
      if (meta.name === chart) out.push({ file, ...meta });
    } catch {
      // Not a chart archive: ignored, as helm would refuse it.
    }
  }
  return out;
}

export interface ChartArchivesOptions {
  cacheDir: string;
  localDir?: string;
  fetchTimeoutMs: number;
  fetch?: FetchFn;
  /** Pulls OCI charts (the real helm). */
  helm?: HelmPuller;
}

const repoKey = (url: string) =>
  createHash('sha256').update(url).digest('hex').slice(0, 24);

async function exists(file: string): Promise<boolean> {
  return fs.access(file).then(
    () => true,
    () => false,
  );
}

/**
 * Finds a chart archive: the local directory first (`<name>-<version>.tgz`), then the download
 * cache, then the repository, which fills the cache: from an HTTP repository the URL its index
 * names, checked against the index's digest; from an OCI one `helm pull`, checked against the
 * manifest the registry serves for the version's tag (the archive is its chart layer, and helm
 * pulled that manifest).
 */
export class ChartArchives {
  readonly #fetch: FetchFn;
  readonly #inflight = new InFlight<string, ChartLocation>();

  constructor(private readonly options: ChartArchivesOptions) {
    this.#fetch = options.fetch ?? fetch;
  }

  async locate(request: {
    chart: string;
    chartVersion: string;
    repository: EffectiveRepository;
    entry?: ChartIndexEntry;
  }): Promise<ChartLocation> {
    const { chart, chartVersion, repository, entry } = request;
    const fileName = `${chart}-${chartVersion}.tgz`;
    if (this.options.localDir) {
      const local = path.join(this.options.localDir, fileName);
      if (await exists(local)) return { ref: local, from: 'localDir' };
    }
    const cached = path.join(
      this.options.cacheDir,
      'archives',
      repoKey(repository.url),
      fileName,
    );
    if (await exists(cached)) return { ref: cached, from: 'cache' };
    if (repository.kind === 'oci') {
      return this.#inflight.run(cached, () =>
        this.#pull(chart, chartVersion, repository, cached),
      );
    }
    if (!entry || entry.urls.length === 0) {
      throw new Error(
        `Chart ${chart} ${chartVersion} is not in the index of ${repository.url}`,
      );
    }
    return this.#inflight.run(cached, () =>
      this.#download(archiveUrl(entry.urls[0], repository), cached, entry),
    );
  }

  async #pull(
    chart: string,
    version: string,
    repository: EffectiveRepository,
    file: string,
  ): Promise<ChartLocation> {
    const { access } = repository;
    const ref = `${repository.url}/${chart}`;
    if (!this.options.helm) {
      throw new Error(`No helm to pull ${ref} ${version} with`);
    }
    const manifest = await new OciRegistryClient(repository.url, {
      access,
      fetchTimeoutMs: this.options.fetchTimeoutMs,
      fetch: this.#fetch,
    })
      .manifest(chart, versionToTag(version))
      .catch(error => {
        throw new Error(redactSecrets((error as Error).message, access));
      });
    await fs.mkdir(path.dirname(file), { recursive: true });
    const destination = await fs.mkdtemp(`${file}.pull-`);
    try {
      const pulled = await this.options.helm.pull({
        ref,
        version,
        destination,
        access,
      });
      const body = await fs.readFile(pulled.file);
      const layer = `sha256:${createHash('sha256').update(body).digest('hex')}`;
      if (layer !== manifest.layerDigest) {
        throw new Error(
          `Chart ${ref} ${version} does not match its manifest (chart layer ${layer}, the manifest ${manifest.digest} gives ${manifest.layerDigest})`,
        );
      }
      if (pulled.digest && pulled.digest !== manifest.digest) {
        throw new Error(
          `Chart ${ref} ${version}: helm pulled manifest ${pulled.digest}, the registry serves ${manifest.digest} for the tag`,
        );
      }
      const tmp = `${file}.${process.pid}.tmp`;
      await fs.writeFile(tmp, body);
      await fs.rename(tmp, file);
      return { ref: file, from: 'pull' };
    } finally {
      await fs.rm(destination, { recursive: true, force: true });
    }
  }

  async #download(
    url: string,
    file: string,
    entry: ChartIndexEntry,
  ): Promise<ChartLocation> {
    let body: Buffer;
    try {
      const response = await this.#fetch(url, {
        signal: AbortSignal.timeout(this.options.fetchTimeoutMs),
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      body = Buffer.from(await response.arrayBuffer());
    } catch (error) {
      throw new Error(`Could not download chart ${url}: ${describe(error)}`);
    }
    if (entry.digest) {
      const digest = createHash('sha256').update(body).digest('hex');
      if (digest !== entry.digest.replace(/^sha256:/, '')) {
        throw new Error(
          `Chart ${url} does not match the digest its index gives (sha256 ${digest}, expected ${entry.digest})`,
        );
      }
    }
    await fs.mkdir(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    await fs.writeFile(tmp, body);
    await fs.rename(tmp, file);
    return { ref: file, from: 'download' };
  }
}
