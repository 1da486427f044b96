import { createHash } from 'node:crypto';
import type { ChartIndex, ChartIndexEntry, FetchFn } from './ChartIndexCache';
import { describe } from './ChartIndexCache';
import { parseSemver } from './semver';

/** Credentials and transport of an OCI registry (`mesh.charts.repositories` entry or mirror). */
export interface RepositoryAccess {
  username?: string;
  /** With `username`. */
  password?: string;
  /** A registry bearer token, sent as it is (not with `username`). */
  token?: string;
  /** Talk plain HTTP to the registry (helm's `--plain-http`). */
  plainHttp?: boolean;
}

/** helm's chart media types in an OCI image manifest. */
export const HELM_CONFIG_MEDIA_TYPE =
  'application/vnd.cncf.helm.config.v1+json';
export const HELM_CHART_LAYER_MEDIA_TYPE =
  'application/vnd.cncf.helm.chart.content.v1.tar+gzip';
export const OCI_MANIFEST_MEDIA_TYPE =
  'application/vnd.oci.image.manifest.v1+json';

/** Tags asked for per page; registries may answer with fewer and a `Link` to the next. */
const PAGE_SIZE = 1000;
/** Stops a registry whose `Link` never ends. */
const MAX_PAGES = 1000;

/** `oci://host[:port]/path` split into its registry host and repository path. */
export function parseOciReference(url: string): {
  host: string;
  path: string;
} {
  const m = /^oci:\/\/([^/]+)\/?(.*)$/.exec(url.replace(/\/+$/, ''));
  if (!m) throw new Error(`${url} is not an oci:// reference`);
  return { host: m[1], path: m[2] };
}

/** helm stores a chart version's `+` as `_` in its tag (OCI tags allow no `+`). */
export const versionToTag = (version: string) => version.replace(/\+/g, '_');
export const tagToVersion = (tag: string) => tag.replace(/_/g, '+');

/** The secrets of an access, for redaction (the password, token and their Basic encoding). */
function secretsOf(access: RepositoryAccess | undefined): string[] {
  const out: string[] = [];
  if (access?.password) out.push(access.password);
  if (access?.token) out.push(access.token);
  if (access?.username && access.password) {
    out.push(
      Buffer.from(`${access.username}:${access.password}`).toString('base64'),
    );
  }
  return out.filter(s => s.length > 0);
}

/** Replaces every occurrence of the access's secrets in a text with `<redacted>`. */
export function redactSecrets(
  text: string,
  access: RepositoryAccess | undefined,
): string {
  let out = text;
  for (const secret of secretsOf(access)) {
    out = out.split(secret).join('<redacted>');
  }
  return out;
}

/** `WWW-Authenticate: Bearer realm="...",service="...",scope="..."` (or `Basic realm=...`). */
export function parseChallenge(
  header: string | null,
): { scheme: string; params: Record<string, string> } | undefined {
  if (!header) return undefined;
  const m = /^\s*(\w+)\s*(.*)$/s.exec(header);
  if (!m) return undefined;
  const params: Record<string, string> = {};
  const re = /(\w+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g;
  for (const p of m[2].matchAll(re)) {
    params[p[1].toLowerCase()] = p[2] !== undefined ? p[2] : p[3];
  }
  return { scheme: m[1].toLowerCase(), params };
}

/** The `rel="next"` target of a `Link` header. */
function nextLink(header: string | null): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(',')) {
    const m = /<([^>]*)>\s*;(.*)$/.exec(part.trim());
    if (m && /rel="?next"?/.test(m[2])) return m[1];
  }
  return undefined;
}

/** A registry's answer that is not what was asked for, with its status. */
export class OciRegistryError extends Error {
  constructor(message: string, readonly status?: number) {
    super(message);
    this.name = 'OciRegistryError';
  }
}

/** A chart version's manifest: its digest and the chart layer's. */
export interface OciChartManifest {
  /** `sha256:<hex>` of the manifest as served. */
  digest: string;
  /** `sha256:<hex>` of the chart archive (the chart content layer). */
  layerDigest: string;
  /** `sha256:<hex>` of the config blob (the chart's `Chart.yaml` as JSON). */
  configDigest: string;
}

/**
 * An OCI chart repository (`oci://host/path`, charts at `host/path/<chart>`) through the OCI
 * distribution API: tags (paged through `Link`) and manifests, with the registry's auth: a
 * `Bearer` challenge answered by its token endpoint (anonymously, or with the user name and
 * password as Basic auth), a configured token sent as it is, or `Basic` when the registry asks
 * for it. Secrets never appear in its errors.
 */
export class OciRegistryClient {
  readonly #base: string;
  readonly #path: string;
  readonly #fetch: FetchFn;
  /** The Authorization header per scope, once the registry accepted one. */
  readonly #auth = new Map<string, string>();

  constructor(
    readonly repository: string,
    private readonly options: {
      access?: RepositoryAccess;
      fetchTimeoutMs: number;
      fetch?: FetchFn;
    },
  ) {
    const { host, path } = parseOciReference(repository);
    this.#base = `${options.access?.plainHttp ? 'http' : 'https'}://${host}`;
    this.#path = path;
    this.#fetch = options.fetch ?? fetch;
  }

  /** `<path>/<chart>`: the OCI repository name of a chart. */
  name(chart: string): string {
    return this.#path ? `${this.#path}/${chart}` : chart;
  }

  /** Every tag of a chart, following the `Link` pages. */
  async tags(chart: string): Promise<string[]> {
    const name = this.name(chart);
    const what = `the versions of ${chart} in ${this.repository}`;
    const tags: string[] = [];
    let next: string | undefined = `/v2/${name}/tags/list?n=${PAGE_SIZE}`;
    for (let page = 0; next && page < MAX_PAGES; page++) {
      const response = await this.#request(next, name, what, {});
      if (response.status === 404) {
        throw new OciRegistryError(
          `Could not list ${what}: HTTP 404 (no such chart in the registry)`,
          404,
        );
      }
      const body = (await response.json().catch(() => undefined)) as
        | { tags?: unknown }
        | undefined;
      if (!body || typeof body !== 'object') {
        throw new OciRegistryError(
          `Could not list ${what}: the registry's answer is not a tag list`,
        );
      }
      for (const t of Array.isArray(body.tags) ? body.tags : []) {
        if (typeof t === 'string') tags.push(t);
      }
      const link = nextLink(response.headers.get('link'));
      next = link ? new URL(link, this.#base).toString() : undefined;
    }
    return tags;
  }

  /** The manifest of a chart's tag: its digest (checked) and the chart layer's digest. */
  async manifest(chart: string, tag: string): Promise<OciChartManifest> {
    const name = this.name(chart);
    const what = `the manifest of ${chart}:${tag} in ${this.repository}`;
    const response = await this.#request(
      `/v2/${name}/manifests/${encodeURIComponent(tag)}`,
      name,
      what,
      { accept: OCI_MANIFEST_MEDIA_TYPE },
    );
    if (response.status === 404) {
      throw new OciRegistryError(
        `Could not read ${what}: HTTP 404 (no such version in the registry)`,
        404,
      );
    }
    const body = Buffer.from(await response.arrayBuffer());
    const digest = `sha256:${createHash('sha256').update(body).digest('hex')}`;
    const served = response.headers.get('docker-content-digest');
    if (served && served !== digest) {
      throw new OciRegistryError(
        `${what} does not match its digest (${digest}, the registry says ${served})`,
      );
    }
    let manifest: {
      config?: { mediaType?: string; digest?: string };
      layers?: Array<{ mediaType?: string; digest?: string }>;
    };
    try {
      manifest = JSON.parse(body.toString('utf8'));
    } catch {
      throw new OciRegistryError(`${what} is not JSON`);
    }
    if (manifest.config?.mediaType !== HELM_CONFIG_MEDIA_TYPE) {
      throw new OciRegistryError(
        `${what} is not a Helm chart (config media type ${String(
          manifest.config?.mediaType,
        )})`,
      );
    }
    const layer = manifest.layers?.find(
      l => l.mediaType === HELM_CHART_LAYER_MEDIA_TYPE,
    );
    if (!layer?.digest) {
      throw new OciRegistryError(`${what} has no chart content layer`);
    }
    return {
      digest,
      layerDigest: layer.digest,
      configDigest: String(manifest.config.digest),
    };
  }

  /** A tag's chart metadata (helm's config blob: `Chart.yaml` as JSON), its digest checked. */
  async chartMetadata(
    chart: string,
    tag: string,
  ): Promise<{ version?: string; appVersion?: string }> {
    const { configDigest } = await this.manifest(chart, tag);
    const name = this.name(chart);
    const what = `the chart metadata of ${chart}:${tag} in ${this.repository}`;
    const response = await this.#request(
      `/v2/${name}/blobs/${configDigest}`,
      name,
      what,
      {},
    );
    if (response.status === 404) {
      throw new OciRegistryError(`Could not read ${what}: HTTP 404`, 404);
    }
    const body = Buffer.from(await response.arrayBuffer());
    if (
      `sha256:${createHash('sha256').update(body).digest('hex')}` !==
      configDigest
    ) {
      throw new OciRegistryError(`${what} does not match its digest`);
    }
    try {
      const meta = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
      return {
        version: meta.version === undefined ? undefined : String(meta.version),
        appVersion:
          meta.appVersion === undefined ? undefined : String(meta.appVersion),
      };
    } catch {
      throw new OciRegistryError(`${what} is not JSON`);
    }
  }

  /** One GET, answering the registry's auth challenge once; non-2xx other than 404 throws. */
  async #request(
    pathOrUrl: string,
    name: string,
    what: string,
    headers: Record<string, string>,
  ): Promise<Response> {
    const scope = `repository:${name}:pull`;
    const url = new URL(pathOrUrl, this.#base).toString();
    const known = this.#auth.get(scope);
    let response = await this.#get(url, what, {
      ...headers,
      ...(known ? { authorization: known } : {}),
    });
    if (response.status === 401) {
      const authorization = await this.#authorize(
        parseChallenge(response.headers.get('www-authenticate')),
        scope,
        what,
      );
      response = await this.#get(url, what, { ...headers, authorization });
      if (response.ok) this.#auth.set(scope, authorization);
    }
    if (response.ok || response.status === 404) return response;
    throw new OciRegistryError(
      `Could not read ${what}: HTTP ${response.status}${this.#hint(
        response.status,
      )}`,
      response.status,
    );
  }

  #hint(status: number): string {
    const { access } = this.options;
    if (status !== 401 && status !== 403) return '';
    return access?.username || access?.token
      ? ' (the registry refused the configured credentials)'
      : ' (the registry needs credentials: set username and password, or token, on the repository in mesh.charts)';
  }

  /** The Authorization header answering a challenge. */
  async #authorize(
    challenge: ReturnType<typeof parseChallenge>,
    scope: string,
    what: string,
  ): Promise<string> {
    const { access } = this.options;
    const basic =
      access?.username !== undefined
        ? `Basic ${Buffer.from(
            `${access.username}:${access.password ?? ''}`,
          ).toString('base64')}`
        : undefined;
    if (challenge?.scheme === 'basic') {
      if (!basic) {
        throw new OciRegistryError(
          `Could not read ${what}: HTTP 401${this.#hint(401)}`,
          401,
        );
      }
      return basic;
    }
    if (challenge?.scheme !== 'bearer') {
      throw new OciRegistryError(
        `Could not read ${what}: HTTP 401 without a Bearer or Basic challenge`,
        401,
      );
    }
    if (access?.token) return `Bearer ${access.token}`;
    const realm = challenge.params.realm;
    if (!realm) {
      throw new OciRegistryError(
        `Could not read ${what}: the registry's Bearer challenge names no realm`,
        401,
      );
    }
    const tokenUrl = new URL(realm);
    if (challenge.params.service) {
      tokenUrl.searchParams.set('service', challenge.params.service);
    }
    tokenUrl.searchParams.set('scope', challenge.params.scope ?? scope);
    const where = `${tokenUrl.origin}${tokenUrl.pathname}`;
    const response = await this.#get(
      tokenUrl.toString(),
      `a token from ${where}`,
      basic ? { authorization: basic } : {},
    );
    if (!response.ok) {
      throw new OciRegistryError(
        `Could not read ${what}: the token endpoint ${where} answered HTTP ${
          response.status
        }${this.#hint(response.status)}`,
        response.status,
      );
    }
    const body = (await response.json().catch(() => undefined)) as
      | { token?: string; access_token?: string }
      | undefined;
    const token = body?.token ?? body?.access_token;
    if (!token) {
      throw new OciRegistryError(
        `Could not read ${what}: the token endpoint ${where} gave no token`,
      );
    }
    return `Bearer ${token}`;
  }

  async #get(
    url: string,
    what: string,
    headers: Record<string, string>,
  ): Promise<Response> {
    try {
      return await this.#fetch(url, {
        headers,
        redirect: 'follow',
        signal: AbortSignal.timeout(this.options.fetchTimeoutMs),
      });
    } catch (error) {
      throw new OciRegistryError(
        redactSecrets(
          `Could not read ${what}: ${describe(error)}`,
          this.options.access,
        ),
      );
    }
  }
}

/** Requests at a time when reading charts' metadata. */
const METADATA_CONCURRENCY = 4;

/**
 * Reads an OCI repository's versions of the given charts as a chart index: each chart's tags,
 * those that are semver once helm's `_` is read back as `+` (others, such as `latest` or
 * signatures, are ignored). The entries' URL is `<repository>/<chart>:<tag>`. Tags carry no
 * `appVersion`: for the charts in `appVersionOf` (sources whose mesh version is the chart's
 * `appVersion`, as Linkerd's) it is read from each new tag's config blob, and kept from the
 * previous index for tags it already knew.
 */
export async function readOciIndex(
  repository: string,
  charts: Iterable<string>,
  options: {
    access?: RepositoryAccess;
    fetchTimeoutMs: number;
    fetch?: FetchFn;
    appVersionOf?: ReadonlySet<string>;
    previous?: ChartIndex;
  },
): Promise<ChartIndex> {
  const client = new OciRegistryClient(repository, options);
  const entries: Record<string, ChartIndexEntry[]> = {};
  try {
    for (const chart of new Set(charts)) {
      const tags = await client.tags(chart);
      const list: ChartIndexEntry[] = tags.flatMap(tag => {
        const version = tagToVersion(tag);
        if (!parseSemver(version)) return [];
        return [{ version, urls: [`${repository}/${chart}:${tag}`] }];
      });
      if (options.appVersionOf?.has(chart)) {
        const known = new Map(
          (options.previous?.entries[chart] ?? []).map(e => [
            e.version,
            e.appVersion,
          ]),
        );
        const missing = list.filter(e => {
          e.appVersion = known.get(e.version);
          return e.appVersion === undefined;
        });
        for (let i = 0; i < missing.length; i += METADATA_CONCURRENCY) {
          await Promise.all(
            missing.slice(i, i + METADATA_CONCURRENCY).map(async e => {
              const meta = await client.chartMetadata(
                chart,
                versionToTag(e.version),
              );
              e.appVersion = meta.appVersion;
            }),
          );
        }
      }
      entries[chart] = list;
    }
  } catch (error) {
    throw new Error(redactSecrets((error as Error).message, options.access));
  }
  return { repository, fetchedAt: new Date().toISOString(), entries };
}
