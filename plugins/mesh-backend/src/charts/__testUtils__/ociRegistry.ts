import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  HELM_CHART_LAYER_MEDIA_TYPE,
  HELM_CONFIG_MEDIA_TYPE,
  OCI_MANIFEST_MEDIA_TYPE,
} from '../oci';

const sha256 = (body: Buffer) =>
  `sha256:${createHash('sha256').update(body).digest('hex')}`;

export interface OciRegistryOptions {
  /**
   * `bearer` (the default): every `/v2` call needs a token from `/token`, anonymous when no
   * `username` is set, else for Basic `username:password`; a static `token` is accepted as it is.
   * `basic`: every `/v2` call needs Basic `username:password`. `none`: open.
   */
  auth?: 'bearer' | 'basic' | 'none';
  username?: string;
  password?: string;
  token?: string;
  /** Most tags per page, whatever `n` asks (so paging shows with few tags). */
  pageSize?: number;
}

/**
 * A small OCI registry on 127.0.0.1, enough for helm and MeshStage's lister: `/v2/`, a token
 * endpoint answering a Bearer challenge (or Basic auth), `tags/list` paged through `Link`,
 * manifests (OCI image manifests with helm's config and chart layer media types, by tag or
 * digest) and blobs. Records every request, so tests can count them.
 */
export async function startOciRegistry(options: OciRegistryOptions = {}) {
  const auth = options.auth ?? 'bearer';
  const state = { password: options.password };
  const blobs = new Map<string, Buffer>();
  /** Per repository name: tag -> manifest digest. */
  const tags = new Map<string, Map<string, string>>();
  const issued = new Set<string>();
  const requests: Array<{
    method: string;
    path: string;
    query: URLSearchParams;
    authorization?: string;
  }> = [];
  const basicOk = (header: string | undefined) =>
    options.username !== undefined &&
    header ===
      `Basic ${Buffer.from(`${options.username}:${state.password}`).toString(
        'base64',
      )}`;

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const authorization = req.headers.authorization;
    requests.push({
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      authorization,
    });
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const json = (status: number, body: unknown, headers = {}) =>
      res
        .writeHead(status, { 'content-type': 'application/json', ...headers })
        .end(JSON.stringify(body));
    const denied = (name?: string) => {
      const challenge =
        auth === 'basic'
          ? 'Basic realm="oci-test"'
          : `Bearer realm="${base}/token",service="oci-test"${
              name ? `,scope="repository:${name}:pull"` : ''
            }`;
      json(
        401,
        {
          errors: [
            { code: 'UNAUTHORIZED', message: 'authentication required' },
          ],
        },
        { 'www-authenticate': challenge },
      );
    };

    if (url.pathname === '/token') {
      if (options.username !== undefined && !basicOk(authorization)) {
        json(401, {
          errors: [{ code: 'UNAUTHORIZED', message: 'bad credentials' }],
        });
        return;
      }
      const token = randomBytes(16).toString('hex');
      issued.add(token);
      json(200, { token, access_token: token, expires_in: 300 });
      return;
    }
    if (!url.pathname.startsWith('/v2/')) {
      res.writeHead(404).end();
      return;
    }
    const route =
      /^\/v2\/(.+)\/(tags\/list|manifests\/([^/]+)|blobs\/([^/]+))$/.exec(
        url.pathname,
      );
    const name = route?.[1];
    const allowed =
      auth === 'none' ||
      (auth === 'basic' && basicOk(authorization)) ||
      (auth === 'bearer' &&
        authorization?.startsWith('Bearer ') &&
        (issued.has(authorization.slice(7)) ||
          (options.token !== undefined &&
            authorization.slice(7) === options.token)));
    if (!allowed) {
      denied(name);
      return;
    }
    if (url.pathname === '/v2/') {
      json(200, {});
      return;
    }
    if (!route || !name) {
      res.writeHead(404).end();
      return;
    }
    const repo = tags.get(name);
    if (route[2] === 'tags/list') {
      if (!repo) {
        json(404, { errors: [{ code: 'NAME_UNKNOWN' }] });
        return;
      }
      const all = [...repo.keys()].sort();
      const last = url.searchParams.get('last');
      const n = Math.min(
        Number(url.searchParams.get('n') ?? all.length) || all.length,
        options.pageSize ?? Infinity,
      );
      const rest = last ? all.filter(t => t > last) : all;
      const page = rest.slice(0, n);
      const headers: Record<string, string> = {};
      if (rest.length > page.length) {
        headers.link = `</v2/${name}/tags/list?n=${n}&last=${encodeURIComponent(
          page[page.length - 1],
        )}>; rel="next"`;
      }
      json(200, { name, tags: page }, headers);
      return;
    }
    if (route[3]) {
      const reference = decodeURIComponent(route[3]);
      const digest = reference.startsWith('sha256:')
        ? reference
        : repo?.get(reference);
      const body = digest ? blobs.get(digest) : undefined;
      if (!digest || !body) {
        json(404, { errors: [{ code: 'MANIFEST_UNKNOWN' }] });
        return;
      }
      res.writeHead(200, {
        'content-type': OCI_MANIFEST_MEDIA_TYPE,
        'docker-content-digest': digest,
        'content-length': body.length,
      });
      res.end(req.method === 'HEAD' ? undefined : body);
      return;
    }
    const blob = blobs.get(decodeURIComponent(route[4]!));
    if (!blob) {
      json(404, { errors: [{ code: 'BLOB_UNKNOWN' }] });
      return;
    }
    res.writeHead(200, {
      'content-type': 'application/octet-stream',
      'docker-content-digest': decodeURIComponent(route[4]!),
      'content-length': blob.length,
    });
    res.end(req.method === 'HEAD' ? undefined : blob);
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;

  /** Stores a blob and returns its descriptor. */
  const put = (mediaType: string, body: Buffer) => {
    const digest = sha256(body);
    blobs.set(digest, body);
    return { mediaType, digest, size: body.length };
  };

  const tag = (name: string, tagName: string, digest: string) => {
    if (!tags.has(name)) tags.set(name, new Map());
    tags.get(name)!.set(tagName, digest);
  };

  return {
    host,
    /** The `oci://` reference of a path on this registry. */
    ref: (path: string) => `oci://${host}/${path}`,
    requests,
    /** Requests whose path ends with `suffix`. */
    count: (suffix: string) =>
      requests.filter(r => r.path.endsWith(suffix)).length,
    /**
     * Tag listings of a chart: first pages (no `last`) asked with credentials (a client's first,
     * unauthenticated try that gets the challenge is not one).
     */
    listings: (name: string) =>
      requests.filter(
        r =>
          r.path === `/v2/${name}/tags/list` &&
          !r.query.has('last') &&
          r.authorization !== undefined,
      ).length,
    /**
     * Pushes a chart archive as helm would: config blob (Chart.yaml as JSON), the archive as the
     * chart layer, an OCI manifest tagged with the version (`+` as `_`). Returns its digests.
     */
    pushChart(
      name: string,
      chart: { name: string; version: string; appVersion?: string },
      archive: Buffer,
    ) {
      const config = put(
        HELM_CONFIG_MEDIA_TYPE,
        Buffer.from(JSON.stringify({ apiVersion: 'v2', ...chart })),
      );
      const layer = put(HELM_CHART_LAYER_MEDIA_TYPE, archive);
      const manifest = put(
        OCI_MANIFEST_MEDIA_TYPE,
        Buffer.from(
          JSON.stringify({
            schemaVersion: 2,
            mediaType: OCI_MANIFEST_MEDIA_TYPE,
            config,
            layers: [layer],
            annotations: {
              'org.opencontainers.image.title': chart.name,
              'org.opencontainers.image.version': chart.version,
            },
          }),
        ),
      );
      tag(name, chart.version.replace(/\+/g, '_'), manifest.digest);
      return { manifest: manifest.digest, layer: layer.digest };
    },
    /** Points a tag at a manifest (or any blob, for tags that are not charts). */
    tag,
    /** Changes the password the registry accepts (a rotated secret). */
    setPassword(password: string) {
      state.password = password;
      issued.clear();
    },
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
