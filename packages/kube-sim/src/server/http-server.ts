import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  aggregatedDiscovery,
  apiGroup,
  apiGroupList,
  apiResourceList,
  apiVersions,
} from '../api/discovery';
import {
  DeleteOptions,
  ObjectApi,
  PATCH_CONTENT_TYPES,
  WriteOptions,
} from '../api/object-api';
import { OpenApiCache } from '../api/openapi';
import { Registry } from '../api/registry';
import { apiVersionOf, KubeObject, meta, ResourceType } from '../api/types';
import { FieldValidation } from '../api/decode';
import { tokenUser } from '../kubeconfig';
import { LogStore } from '../runtime/logs';
import { buildTable, partialObjectMetadata } from '../table/table';
import { isObject, JsonObject } from '../util/objects';
import { decodeBody, readBody, readBodyBuffer } from './body';
import { serveLogs } from './logs';
import {
  mediaType,
  negotiateDiscovery,
  negotiateObjectFormat,
  ObjectFormat,
} from './negotiate';
import { parsePath, ResourceRequest } from './request-info';
import { sendError, sendObject, sendText } from './respond';
import { ApiError, errors } from './status';
import { serveWatch, WatchRegistry } from './watch';
import { serveVirtual } from './virtual';
import type { FaultLayer } from '../faults/http';

export interface ServerDeps {
  api: ObjectApi;
  registry: Registry;
  openapi: OpenApiCache;
  logs: LogStore;
  watches: WatchRegistry;
  token: string;
  /** Accept `Impersonate-User: kube-sim:<token>` as the credential (plain http only; see kubeconfig.ts). */
  acceptImpersonatedToken?: boolean;
  gitVersion: string;
  serverAddress: () => string;
  log: (line: string) => void;
  now: () => number;
  bookmarkIntervalMs: number;
  /** Fault injection in front of every request (`--faults`, `sim.faults`). */
  faults?: FaultLayer;
}

/** /version, derived from the configured gitVersion. */
export function versionInfo(gitVersion: string): JsonObject {
  const m = /^v(\d+)\.(\d+)/.exec(gitVersion);
  return {
    major: m ? m[1] : '1',
    minor: m ? m[2] : '31',
    gitVersion,
    gitCommit: 'kube-sim',
    gitTreeState: 'clean',
    buildDate: '2024-12-10T11:37:42Z',
    goVersion: 'go1.22.9',
    compiler: 'gc',
    platform: 'linux/amd64',
  };
}

function parseDryRun(q: URLSearchParams): boolean {
  const values = q.getAll('dryRun');
  for (const v of values) {
    if (v !== 'All')
      throw errors.badRequest(
        `Invalid dry run value: ${v}; valid values are: All`,
      );
  }
  return values.length > 0;
}

function parseFieldValidation(q: URLSearchParams): FieldValidation {
  const v = q.get('fieldValidation');
  if (v === null || v === '') return 'Warn';
  if (v === 'Strict' || v === 'Warn' || v === 'Ignore') return v;
  throw errors.badRequest(`fieldValidation parameter unsupported: ${v}`);
}

/** Field manager from the query, else the client's program name from its User-Agent. */
function fieldManager(q: URLSearchParams, req: IncomingMessage): string {
  const fm = q.get('fieldManager');
  if (fm) {
    if (fm.length > 128)
      throw errors.badRequest(
        'fieldManager: Too long: must have at most 128 bytes',
      );
    return fm;
  }
  const ua = req.headers['user-agent'] ?? '';
  return ua.split('/')[0].slice(0, 128) || 'unknown';
}

/** The patch type of a scale or status subresource PATCH; 415 for any other content type. */
function subresourcePatchType(req: IncomingMessage) {
  const patchType = PATCH_CONTENT_TYPES[mediaType(req.headers['content-type'])];
  if (!patchType)
    throw errors.unsupportedMediaType(
      String(req.headers['content-type']),
      Object.keys(PATCH_CONTENT_TYPES),
    );
  return patchType;
}

function timeoutMs(q: URLSearchParams): number | undefined {
  const ts = q.get('timeoutSeconds');
  if (ts !== null && Number(ts) > 0) return Number(ts) * 1000;
  const t = q.get('timeout');
  if (t) {
    const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(t);
    if (m) {
      const unit =
        ({ ms: 1, m: 60000, h: 3600000 } as Record<string, number>)[
          m[2] ?? ''
        ] ?? 1000;
      return Number(m[1]) * unit;
    }
  }
  return undefined;
}

const PUBLIC = new Set(['version', 'health']);

/** Builds the request handler of the simulated API server. */
export function createRequestHandler(
  deps: ServerDeps,
): (req: IncomingMessage, res: ServerResponse) => void {
  const { api, registry } = deps;

  const renderObject = (
    type: ResourceType,
    obj: KubeObject,
    format: ObjectFormat,
    q: URLSearchParams,
  ): unknown => {
    if (format.kind === 'table') {
      return buildTable(type, [obj], {
        now: deps.now(),
        includeObject:
          (q.get('includeObject') as 'None' | 'Metadata' | 'Object') ??
          undefined,
        apiVersion: `meta.k8s.io/${format.version}`,
        listMeta: { resourceVersion: meta(obj).resourceVersion },
      });
    }
    if (format.kind === 'partial') return partialObjectMetadata(obj);
    return obj;
  };

  const handleSubresource = async (
    req: IncomingMessage,
    res: ServerResponse,
    type: ResourceType,
    ns: string,
    name: string,
    sub: string,
    q: URLSearchParams,
    format: ObjectFormat,
    writeOpts: () => WriteOptions,
  ): Promise<void> => {
    if (!type.subresources.some(s => s.name === sub))
      throw errors.pathNotFound();
    const method = req.method ?? 'GET';
    const writeFormat: ObjectFormat =
      format.kind === 'yaml' ? format : { kind: 'json' };
    if (sub === 'log') {
      if (method !== 'GET') throw errors.methodNotAllowed();
      serveLogs(req, res, api.get(type, ns, name), q, deps.logs, deps.watches);
      return;
    }
    if (sub === 'scale') {
      if (method === 'GET') {
        sendObject(res, 200, api.getScale(type, ns, name), writeFormat);
        return;
      }
      const opts = writeOpts();
      const raw = await readBody(req);
      if (method === 'PUT') {
        const scale = api.updateScale(
          type,
          ns,
          name,
          { body: decodeBody(raw, req.headers['content-type']) },
          opts,
        );
        sendObject(res, 200, scale, writeFormat);
        return;
      }
      if (method === 'PATCH') {
        const patchType = subresourcePatchType(req);
        const scale = api.updateScale(
          type,
          ns,
          name,
          { patchType, rawPatch: raw },
          opts,
        );
        sendObject(res, 200, scale, writeFormat);
        return;
      }
      throw errors.methodNotAllowed();
    }
    if (sub === 'status') {
      if (method === 'GET') {
        sendObject(
          res,
          200,
          renderObject(type, api.get(type, ns, name), format, q),
          format,
        );
        return;
      }
      const opts = writeOpts();
      const raw = await readBody(req);
      if (method === 'PUT') {
        const obj = api.update(
          type,
          ns,
          name,
          decodeBody(raw, req.headers['content-type']),
          opts,
          'status',
        );
        sendObject(res, 200, obj, writeFormat, opts.warnings);
        return;
      }
      if (method === 'PATCH') {
        const patchType = subresourcePatchType(req);
        const result = api.patch(
          type,
          ns,
          name,
          patchType,
          raw,
          { ...opts, force: q.get('force') === 'true' },
          'status',
        );
        sendObject(res, 200, result.object, writeFormat, opts.warnings);
        return;
      }
      throw errors.methodNotAllowed();
    }
    throw errors.methodNotAllowed();
  };

  const handleResource = async (
    req: IncomingMessage,
    res: ServerResponse,
    r: ResourceRequest,
    q: URLSearchParams,
  ): Promise<void> => {
    const type = registry.find(r.group, r.version, r.resource);
    if (!type) throw errors.pathNotFound();
    if (r.namespace !== undefined && !type.namespaced)
      throw errors.pathNotFound();
    const ns = r.namespace;
    if (type.virtual) {
      await serveVirtual(req, res, api, type, ns, r.name, q, deps.now());
      return;
    }
    const method = req.method ?? 'GET';
    const format = negotiateObjectFormat(req.headers.accept);
    if (!format)
      throw errors.notAcceptable(['application/json', 'application/yaml']);
    const writeFormat: ObjectFormat =
      format.kind === 'yaml' ? format : { kind: 'json' };
    const watch =
      r.watchPath || q.get('watch') === 'true' || q.get('watch') === '1';
    const needNs = () => {
      if (type.namespaced && ns === undefined) throw errors.pathNotFound();
      return ns ?? '';
    };
    const writeOpts = (): WriteOptions => ({
      fieldManager: fieldManager(q, req),
      dryRun: parseDryRun(q),
      fieldValidation: parseFieldValidation(q),
      warnings: [],
    });

    if (r.subresource) {
      await handleSubresource(
        req,
        res,
        type,
        needNs(),
        r.name!,
        r.subresource,
        q,
        format,
        writeOpts,
      );
      return;
    }

    switch (method) {
      case 'GET': {
        if (watch) {
          const match = api.matcher(type, {
            labelSelector: q.get('labelSelector') ?? undefined,
            fieldSelector: q.get('fieldSelector') ?? undefined,
          });
          serveWatch(
            req,
            res,
            api,
            deps.watches,
            {
              type,
              namespace: ns,
              name: r.name,
              match,
              resourceVersion: q.get('resourceVersion') ?? undefined,
              sendInitialEvents: q.get('sendInitialEvents') === 'true',
              allowBookmarks: q.get('allowWatchBookmarks') === 'true',
              timeoutMs: timeoutMs(q),
              format,
              bookmarkIntervalMs: deps.bookmarkIntervalMs,
            },
            deps.now,
          );
          return;
        }
        if (r.name) {
          const obj = api.get(type, needNs(), r.name);
          sendObject(res, 200, renderObject(type, obj, format, q), format);
          return;
        }
        const limit = Number(q.get('limit') ?? '0');
        const list = api.list(type, ns, {
          labelSelector: q.get('labelSelector') ?? undefined,
          fieldSelector: q.get('fieldSelector') ?? undefined,
          limit: Number.isFinite(limit) ? limit : 0,
          continue: q.get('continue') ?? undefined,
        });
        const listMeta: JsonObject = { resourceVersion: list.resourceVersion };
        if (list.continue) listMeta.continue = list.continue;
        if (list.remainingItemCount !== undefined)
          listMeta.remainingItemCount = list.remainingItemCount;
        let body: unknown;
        if (format.kind === 'table') {
          body = buildTable(type, list.items, {
            now: deps.now(),
            includeObject:
              (q.get('includeObject') as 'None' | 'Metadata' | 'Object') ??
              undefined,
            listMeta,
            apiVersion: `meta.k8s.io/${format.version}`,
          });
        } else if (format.kind === 'partial') {
          body = {
            kind: 'PartialObjectMetadataList',
            apiVersion: `meta.k8s.io/${format.version}`,
            metadata: listMeta,
            items: list.items.map(partialObjectMetadata),
          };
        } else {
          body = {
            kind: type.listKind,
            apiVersion: apiVersionOf(type),
            metadata: listMeta,
            items: list.items,
          };
        }
        sendObject(res, 200, body, format);
        return;
      }
      case 'POST': {
        if (r.name) throw errors.methodNotAllowed();
        const namespace = needNs();
        const opts = writeOpts();
        const body = decodeBody(
          await readBodyBuffer(req),
          req.headers['content-type'],
        );
        const created = api.create(type, namespace, body, opts);
        sendObject(res, 201, created, writeFormat, opts.warnings);
        return;
      }
      case 'PUT': {
        if (!r.name) throw errors.methodNotAllowed();
        const namespace = needNs();
        const opts = writeOpts();
        const body = decodeBody(
          await readBodyBuffer(req),
          req.headers['content-type'],
        );
        const existed = !!api.tryGet(type, namespace, r.name);
        const updated = api.update(type, namespace, r.name, body, opts);
        sendObject(
          res,
          existed ? 200 : 201,
          updated,
          writeFormat,
          opts.warnings,
        );
        return;
      }
      case 'PATCH': {
        if (!r.name) throw errors.methodNotAllowed();
        const namespace = needNs();
        const patchType =
          PATCH_CONTENT_TYPES[mediaType(req.headers['content-type'])];
        if (!patchType) {
          throw errors.unsupportedMediaType(
            mediaType(req.headers['content-type']),
            type.strategicMerge
              ? [
                  'application/json-patch+json',
                  'application/merge-patch+json',
                  'application/apply-patch+yaml',
                  'application/strategic-merge-patch+json',
                ]
              : [
                  'application/json-patch+json',
                  'application/merge-patch+json',
                  'application/apply-patch+yaml',
                ],
          );
        }
        const opts = { ...writeOpts(), force: q.get('force') === 'true' };
        const raw = await readBody(req);
        const result = api.patch(type, namespace, r.name, patchType, raw, opts);
        sendObject(
          res,
          result.created ? 201 : 200,
          result.object,
          writeFormat,
          opts.warnings,
        );
        return;
      }
      case 'DELETE': {
        const raw = await readBody(req);
        let options: JsonObject = {};
        if (raw.trim()) {
          try {
            const parsed = JSON.parse(raw);
            if (isObject(parsed)) options = parsed;
          } catch {
            throw errors.badRequest("couldn't decode DeleteOptions");
          }
        }
        const policy = (q.get('propagationPolicy') ??
          options.propagationPolicy ??
          (options.orphanDependents === true ||
          q.get('orphanDependents') === 'true'
            ? 'Orphan'
            : undefined)) as DeleteOptions['propagationPolicy'];
        if (
          policy !== undefined &&
          !['Background', 'Foreground', 'Orphan'].includes(policy)
        ) {
          throw errors.badRequest(
            `propagationPolicy: Unsupported value: "${String(
              policy,
            )}": supported values: "Foreground", "Background", "Orphan"`,
          );
        }
        const dryRun =
          parseDryRun(q) ||
          (Array.isArray(options.dryRun) && options.dryRun.includes('All'));
        const delOpts: DeleteOptions = {
          propagationPolicy: policy,
          preconditions: isObject(options.preconditions)
            ? (options.preconditions as DeleteOptions['preconditions'])
            : undefined,
        };
        if (!r.name) {
          const list = api.list(type, ns, {
            labelSelector: q.get('labelSelector') ?? undefined,
            fieldSelector: q.get('fieldSelector') ?? undefined,
          });
          const deleted: KubeObject[] = [];
          for (const o of list.items) {
            try {
              deleted.push(
                api.delete(
                  type,
                  meta(o).namespace ?? '',
                  meta(o).name!,
                  delOpts,
                  { dryRun },
                ).object,
              );
            } catch {
              // already gone
            }
          }
          sendObject(
            res,
            200,
            {
              kind: type.listKind,
              apiVersion: apiVersionOf(type),
              metadata: { resourceVersion: String(api.store.resourceVersion) },
              items: deleted,
            },
            writeFormat,
          );
          return;
        }
        const namespace = needNs();
        const result = api.delete(type, namespace, r.name, delOpts, { dryRun });
        const returnsObject =
          type.storageKey === '/pods' ||
          type.storageKey === '/namespaces' ||
          !!type.crd;
        if (result.pending) sendObject(res, 202, result.object, writeFormat);
        else if (returnsObject)
          sendObject(res, 200, result.object, writeFormat);
        else {
          sendObject(
            res,
            200,
            {
              kind: 'Status',
              apiVersion: 'v1',
              metadata: {},
              status: 'Success',
              details: {
                name: r.name,
                group: type.group || undefined,
                kind: type.plural,
                uid: meta(result.object).uid,
              },
            },
            writeFormat,
          );
        }
        return;
      }
      default:
        throw errors.methodNotAllowed();
    }
  };

  const handle = async (
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://kube-sim');
    const parsed = parsePath(url.pathname);
    if (!PUBLIC.has(parsed.kind)) {
      const auth = req.headers.authorization;
      const impersonated = req.headers['impersonate-user'];
      const ok =
        auth !== undefined
          ? auth === `Bearer ${deps.token}`
          : deps.acceptImpersonatedToken !== false &&
            impersonated === tokenUser(deps.token);
      if (!ok) throw errors.unauthorized();
    }
    const q = url.searchParams;
    switch (parsed.kind) {
      case 'version':
        sendObject(res, 200, versionInfo(deps.gitVersion));
        return;
      case 'health':
        sendText(res, 200, 'ok');
        return;
      case 'api': {
        const agg = negotiateDiscovery(req.headers.accept);
        if (agg) {
          sendAggregated(
            res,
            aggregatedDiscovery(registry, true, `apidiscovery.k8s.io/${agg}`),
            agg,
          );
          return;
        }
        sendObject(res, 200, apiVersions(deps.serverAddress()));
        return;
      }
      case 'apis': {
        const agg = negotiateDiscovery(req.headers.accept);
        if (agg) {
          sendAggregated(
            res,
            aggregatedDiscovery(registry, false, `apidiscovery.k8s.io/${agg}`),
            agg,
          );
          return;
        }
        sendObject(res, 200, apiGroupList(registry));
        return;
      }
      case 'group': {
        const g = apiGroup(registry, parsed.group);
        if (!g) throw errors.pathNotFound();
        sendObject(res, 200, g);
        return;
      }
      case 'groupVersion': {
        const l = apiResourceList(registry, parsed.group, parsed.version);
        if (!l) throw errors.pathNotFound();
        sendObject(res, 200, l);
        return;
      }
      case 'openapiIndex':
        sendObject(res, 200, deps.openapi.index());
        return;
      case 'openapiDoc': {
        const doc = deps.openapi.document(parsed.path);
        if (!doc) throw errors.pathNotFound();
        res.writeHead(200, {
          'Content-Type': 'application/json',
          'Content-Length': Buffer.byteLength(doc.body),
          ETag: `"${doc.hash}"`,
        });
        res.end(doc.body);
        return;
      }
      case 'openapiV2': {
        const v2 = deps.openapi.v2();
        const wantsProto = (req.headers.accept ?? '').includes('protobuf');
        const body = wantsProto ? v2.proto : Buffer.from(v2.json);
        res.writeHead(200, {
          'Content-Type': wantsProto
            ? 'application/octet-stream'
            : 'application/json',
          'Content-Length': body.length,
        });
        res.end(body);
        return;
      }
      case 'resource':
        await handleResource(req, res, parsed.req, q);
        return;
      default:
        throw errors.pathNotFound();
    }
  };

  return (req, res) => {
    const started = Date.now();
    res.on('finish', () => {
      deps.log(
        `${req.method} ${req.url} ${res.statusCode} ${Date.now() - started}ms`,
      );
    });
    const serve = () =>
      handle(req, res).catch(err => {
        if (err instanceof ApiError) {
          sendError(res, err);
        } else {
          deps.log(
            `internal error on ${req.method} ${req.url}: ${
              (err as Error)?.stack ?? String(err)
            }`,
          );
          sendError(
            res,
            errors.internal(String((err as Error)?.message ?? err)),
          );
        }
      });
    if (deps.faults) deps.faults.handle(req, res, () => void serve());
    else void serve();
  };
}

function sendAggregated(
  res: ServerResponse,
  body: unknown,
  version: string,
): void {
  const text = JSON.stringify(body);
  res.writeHead(200, {
    'Content-Type': `application/json;g=apidiscovery.k8s.io;v=${version};as=APIGroupDiscoveryList`,
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-cache, private',
  });
  res.end(text);
}
