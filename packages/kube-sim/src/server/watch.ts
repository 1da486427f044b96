import type { IncomingMessage, ServerResponse } from 'node:http';
import { ObjectApi } from '../api/object-api';
import { apiVersionOf, KubeObject, meta, ResourceType } from '../api/types';
import { ResourceVersionTooOld, StoreEvent } from '../store/store';
import { buildTable, partialObjectMetadata } from '../table/table';
import { JsonObject } from '../util/objects';
import { ObjectFormat } from './negotiate';

export interface WatchParams {
  type: ResourceType;
  namespace?: string;
  /** Single-object watches (`/pods/<name>?watch=1`) filter by name. */
  name?: string;
  match: (o: KubeObject) => boolean;
  resourceVersion?: string;
  sendInitialEvents: boolean;
  allowBookmarks: boolean;
  timeoutMs?: number;
  format: ObjectFormat;
  bookmarkIntervalMs: number;
}

/** Open watches, so close() can end them. */
export class WatchRegistry {
  private readonly open = new Set<() => void>();

  add(end: () => void): () => void {
    this.open.add(end);
    return () => this.open.delete(end);
  }

  closeAll(): void {
    for (const end of [...this.open]) end();
    this.open.clear();
  }
}

/**
 * Streams watch events as newline-delimited JSON (`{"type","object"}`),
 * flushing each event: initial ADDED events when no resourceVersion is given,
 * history replay after a given one (410 ERROR event when too old), selector
 * transitions as ADDED/DELETED, periodic BOOKMARKs, and close on timeout.
 */
export function serveWatch(
  req: IncomingMessage,
  res: ServerResponse,
  api: ObjectApi,
  registry: WatchRegistry,
  p: WatchParams,
  now: () => number,
): void {
  const t = p.type;
  const contentType =
    p.format.kind === 'table'
      ? `application/json;as=Table;v=${p.format.version};g=meta.k8s.io`
      : 'application/json';
  res.writeHead(200, {
    'Content-Type': contentType,
    'Cache-Control': 'no-cache, private',
    'Transfer-Encoding': 'chunked',
  });
  res.flushHeaders();

  let ended = false;
  const cleanups: (() => void)[] = [];
  const end = () => {
    if (ended) return;
    ended = true;
    for (const c of cleanups) c();
    res.end();
  };
  cleanups.push(registry.add(end));
  req.on('close', end);
  res.on('close', end);

  const render = (o: KubeObject): JsonObject => {
    const obj = api.convert(t, o);
    if (p.format.kind === 'table') {
      return buildTable(t, [obj], {
        now: now(),
        apiVersion: `meta.k8s.io/${p.format.version}`,
        listMeta: { resourceVersion: meta(obj).resourceVersion },
      });
    }
    if (p.format.kind === 'partial') return partialObjectMetadata(obj);
    return obj;
  };
  const send = (type: string, object: JsonObject) => {
    if (ended) return;
    res.write(`${JSON.stringify({ type, object })}\n`);
  };
  const inScope = (o: KubeObject) => {
    const m = meta(o);
    if (
      p.namespace !== undefined &&
      t.namespaced &&
      m.namespace !== p.namespace
    )
      return false;
    if (p.name !== undefined && m.name !== p.name) return false;
    return true;
  };
  const deliver = (e: StoreEvent) => {
    if (e.key !== t.storageKey) return;
    const nowIn = inScope(e.object) && p.match(e.object);
    const before = e.old ? inScope(e.old) && p.match(e.old) : false;
    if (e.type === 'ADDED') {
      if (nowIn) send('ADDED', render(e.object));
    } else if (e.type === 'MODIFIED') {
      if (nowIn && before) send('MODIFIED', render(e.object));
      else if (nowIn) send('ADDED', render(e.object));
      else if (before) send('DELETED', render(e.object));
    } else if (before || nowIn) {
      send('DELETED', render(e.object));
    }
  };
  const bookmark = (annotations?: Record<string, string>) => {
    send('BOOKMARK', {
      kind: t.kind,
      apiVersion: apiVersionOf(t),
      metadata: {
        resourceVersion: String(api.store.resourceVersion),
        ...(annotations ? { annotations } : {}),
      },
    });
  };

  const rv = p.resourceVersion;
  const initial = !rv || rv === '0' || p.sendInitialEvents;
  if (initial) {
    const current = api.store
      .list(t.storageKey, t.namespaced ? p.namespace : undefined)
      .filter(o => inScope(o) && p.match(o));
    for (const o of current) send('ADDED', render(o));
    if (p.sendInitialEvents && p.allowBookmarks)
      bookmark({ 'k8s.io/initial-events-end': 'true' });
  } else {
    const n = Number(rv);
    if (!Number.isInteger(n) || n < 0) {
      send('ERROR', {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: `invalid resource version: ${rv}`,
        reason: 'BadRequest',
        code: 400,
      });
      end();
      return;
    }
    try {
      for (const e of api.store.eventsSince(n)) deliver(e);
    } catch (err) {
      if (err instanceof ResourceVersionTooOld) {
        send('ERROR', {
          kind: 'Status',
          apiVersion: 'v1',
          metadata: {},
          status: 'Failure',
          message: err.message,
          reason: 'Expired',
          code: 410,
        });
        end();
        return;
      }
      throw err;
    }
  }
  cleanups.push(api.store.subscribe(deliver));
  if (p.allowBookmarks) {
    const timer = setInterval(() => bookmark(), p.bookmarkIntervalMs);
    cleanups.push(() => clearInterval(timer));
  }
  if (p.timeoutMs !== undefined && p.timeoutMs > 0) {
    const timer = setTimeout(end, p.timeoutMs);
    cleanups.push(() => clearTimeout(timer));
  }
}
