/**
 * HTTP/1.1 and HTTP/2 transport on undici. Each connection is its own undici
 * `Client` (one socket), and requests go through `dispatch` with a bare
 * handler: no promises or body streams per request, which is what keeps a
 * JavaScript load generator close to wrk.
 *
 * @packageDocumentation
 */
import { Client, H2CClient, type Dispatcher } from 'undici';
import { performance } from 'node:perf_hooks';
import type { Target, TlsOptions } from '../types';
import { classifyError, RequestTimeoutError } from './errors';
import {
  preconnectingConnector,
  type PreconnectingConnector,
} from './preconnect';
import type { ResolveMap } from './resolve';
import type { Completion, Transport } from './types';

/** Settings of an {@link HttpTransport}. */
export interface HttpTransportOptions {
  targets: Target[];
  /** Connections per origin. */
  connections: number;
  /** Requests in flight per connection (HTTP/1.1 pipelining, or HTTP/2 streams). */
  pipelining: number;
  /** Per-request timeout, ms; 0 disables. */
  timeoutMs: number;
  http2?: boolean;
  tls?: TlsOptions;
  /** `host:port` pins (curl's `--resolve`). */
  resolve?: ResolveMap;
}

interface PreparedTarget {
  origin: string;
  options: Dispatcher.DispatchOptions;
  bodyBytes: number;
}

// The status line and final CRLF, which undici's parsed headers do not show.
const STATUS_LINE_BYTES = 19;

/**
 * Per-request state. A fresh object per request (cheap in V8) so a late
 * callback of an aborted request can never touch the next one.
 */
class RequestHandler implements Dispatcher.DispatchHandler {
  controller: Dispatcher.DispatchController | undefined;
  status = 0;
  received = 0;
  headerBytes = 0;
  finished = false;

  constructor(
    private readonly owner: HttpTransport,
    readonly lane: number,
    readonly origin: number,
    private readonly done: Completion,
  ) {}

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
  }

  onResponseStart(
    _c: Dispatcher.DispatchController,
    statusCode: number,
    headers: Record<string, unknown>,
  ): void {
    this.status = statusCode;
    let size = STATUS_LINE_BYTES;
    for (const key of Object.keys(headers)) {
      const v = headers[key];
      if (typeof v === 'string') size += key.length + v.length + 4;
      else if (Array.isArray(v))
        for (const x of v) size += key.length + String(x).length + 4;
    }
    this.received += size;
    this.headerBytes = size;
  }

  onResponseData(_c: Dispatcher.DispatchController, chunk: Buffer): void {
    this.received += chunk.length;
  }

  onResponseEnd(): void {
    if (this.finished) return;
    this.finished = true;
    this.owner.settled(this.lane);
    const s = this.status;
    this.done(
      s,
      s >= 200 && s < 400,
      this.received,
      undefined,
      this.headerBytes,
    );
  }

  onResponseError(_c: Dispatcher.DispatchController, err: Error): void {
    this.fail(err);
  }

  fail(err: unknown): void {
    if (this.finished) return;
    this.finished = true;
    this.owner.settled(this.lane);
    const kind = classifyError(err);
    // undici fails queued requests in a loop and asserts its queue is empty
    // afterwards: the next request must be dispatched after that loop.
    queueMicrotask(() => this.done(0, false, this.received, kind));
  }
}

/** HTTP/1.1 (optionally pipelined) or HTTP/2 requests over undici. */
export class HttpTransport implements Transport {
  private readonly prepared: PreparedTarget[];
  /** clients[origin index][connection] */
  private readonly clients: Dispatcher[][];
  private readonly originIndex: number[];
  private readonly origins: string[] = [];
  private readonly connectors: PreconnectingConnector[] = [];
  private readonly inflight: (RequestHandler | undefined)[] = [];
  private readonly deadlines: number[] = [];
  private readonly sweeper: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(private readonly options: HttpTransportOptions) {
    const origins = this.origins;
    this.prepared = options.targets.map(t =>
      prepareTarget(t, options.pipelining > 1 && !options.http2),
    );
    this.originIndex = this.prepared.map(p => {
      let i = origins.indexOf(p.origin);
      if (i < 0) i = origins.push(p.origin) - 1;
      return i;
    });
    this.clients = origins.map(o =>
      Array.from({ length: options.connections }, () => this.createClient(o)),
    );
    if (options.timeoutMs > 0) {
      // One sweep timer instead of a timer per request: the engine keeps at
      // most one request per lane in flight, so a sweep is a short array scan.
      const every = Math.min(Math.max(options.timeoutMs / 10, 5), 250);
      this.sweeper = setInterval(() => this.sweep(), every);
      this.sweeper.unref();
    }
  }

  private createClient(origin: string): Dispatcher {
    const o = this.options;
    const url = new URL(origin);
    const h2c = !!o.http2 && url.protocol === 'http:';
    const connect = preconnectingConnector(
      url,
      {
        timeout: o.timeoutMs > 0 ? o.timeoutMs : 10_000,
        allowH2: !!o.http2,
        preferH2: !!o.http2,
        useH2c: h2c,
        ...(url.protocol === 'https:'
          ? {
              rejectUnauthorized: !o.tls?.insecure,
              ...(o.tls?.ca
                ? {
                    ca:
                      typeof o.tls.ca === 'string'
                        ? o.tls.ca
                        : Buffer.from(o.tls.ca),
                  }
                : {}),
            }
          : {}),
      },
      o.resolve,
    );
    this.connectors.push(connect);
    const common = {
      pipelining: o.pipelining,
      // Our own sweep enforces the timeout; undici's timers stay as a backstop.
      headersTimeout: o.timeoutMs > 0 ? o.timeoutMs * 2 : 0,
      bodyTimeout: o.timeoutMs > 0 ? o.timeoutMs * 2 : 0,
      keepAliveTimeout: 60_000,
      connect,
    };
    if (h2c) {
      // Prior-knowledge cleartext HTTP/2; streams per connection = pipelining.
      return new H2CClient(origin, {
        ...common,
        maxConcurrentStreams: Math.max(o.pipelining, 1),
      });
    }
    return new Client(origin, {
      ...common,
      // undici 8 offers h2 over ALPN by default; HTTP/1.1 runs must not get it.
      allowH2: !!o.http2,
      ...(o.http2
        ? { h2Options: { maxConcurrentStreams: Math.max(o.pipelining, 100) } }
        : {}),
    });
  }

  /** Opens every connection before the load starts. */
  async prepare(): Promise<void> {
    await Promise.all(this.connectors.map(c => c.prepare()));
  }

  requestBytes(target: number): number {
    return this.prepared[target].bodyBytes;
  }

  send(lane: number, target: number, done: Completion): void {
    const origin = this.originIndex[target];
    const conns = this.clients[origin];
    const slot = lane % conns.length;
    const handler = new RequestHandler(this, lane, origin, done);
    if (this.options.timeoutMs > 0) {
      this.inflight[lane] = handler;
      this.deadlines[lane] = performance.now() + this.options.timeoutMs;
    }
    try {
      conns[slot].dispatch(this.prepared[target].options, handler);
    } catch (err) {
      handler.fail(err);
    }
  }

  /** Called by a handler when its request finished either way. */
  settled(lane: number): void {
    if (this.inflight[lane] !== undefined) this.inflight[lane] = undefined;
  }

  private sweep(): void {
    const now = performance.now();
    for (let lane = 0; lane < this.inflight.length; lane++) {
      const h = this.inflight[lane];
      if (h === undefined || this.deadlines[lane] > now) continue;
      const err = new RequestTimeoutError();
      if (h.controller) {
        h.controller.abort(err);
        // Aborting before the response started reports through onResponseError;
        // make sure the lane completes even if undici stays silent.
        h.fail(err);
      } else {
        // Not on the wire yet (still connecting): only dropping the
        // connection frees it; everything queued on it fails as a timeout.
        h.fail(err);
        this.replaceConnection(h.origin, lane % this.options.connections, err);
      }
    }
  }

  private replaceConnection(origin: number, slot: number, err: Error): void {
    const old = this.clients[origin][slot];
    this.clients[origin][slot] = this.createClient(this.origins[origin]);
    old.destroy(err).catch(() => undefined);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.sweeper) clearInterval(this.sweeper);
    await Promise.all(
      this.clients.flat().map(c => c.destroy().catch(() => undefined)),
    );
  }
}

function prepareTarget(t: Target, pipelined: boolean): PreparedTarget {
  const url = new URL(t.url);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(
      `unsupported URL scheme ${url.protocol} (use http or https)`,
    );
  }
  const body = t.body === undefined ? null : Buffer.from(t.body);
  const method = (t.method ?? (body ? 'POST' : 'GET')).toUpperCase();
  const headers: string[] = [];
  for (const [k, v] of Object.entries(t.headers ?? {})) headers.push(k, v);
  const options: Dispatcher.DispatchOptions = {
    path: `${url.pathname}${url.search}`,
    method: method as Dispatcher.HttpMethod,
    headers,
    body,
  };
  if (pipelined) {
    // undici only pipelines requests it may replay and that it does not
    // expect to block; the user asked for pipelining, so allow both.
    options.idempotent = true;
    options.blocking = false;
  }
  return { origin: url.origin, options, bodyBytes: body ? body.length : 0 };
}
