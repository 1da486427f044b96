/**
 * A lean HTTP/1.1 transport on `node:net`, for plain-text max-throughput and
 * constant-rate runs (`--engine net`). What makes it fast, measured against
 * nginx on one core:
 *
 * - reads land in one static 64 KiB buffer through `onread` instead of a
 *   fresh Buffer per `data` event (about 1.7x);
 * - requests of connections that became free during one event-loop turn
 *   are written together from one `setImmediate` (another 8-20%);
 * - each target's request is serialized once.
 *
 * @packageDocumentation
 */
import { performance } from 'node:perf_hooks';
import type { Target } from '../types';
import { serializeRequest, type SerializedRequest } from './http1Request';
import { NetConnection, type Endpoint } from './netConnection';
import { lookupResolve, type ResolveMap } from './resolve';
import type { Completion, Transport } from './types';

/** Settings of a {@link NetTransport}. */
export interface NetTransportOptions {
  /** `http://` targets only. */
  targets: Target[];
  /**
   * Connections per origin. Pipelining needs no setting here: the engine
   * runs `pipelining` lanes per connection, so that many requests share one.
   */
  connections: number;
  /** Per-request timeout, ms; 0 disables. */
  timeoutMs: number;
  /** `host:port` pins (curl's `--resolve`). */
  resolve?: ResolveMap;
}

const READ_BUFFER_BYTES = 64 * 1024;

/** Plain HTTP/1.1 over keep-alive TCP connections, optionally pipelined. */
export class NetTransport implements Transport {
  private readonly requests: SerializedRequest[];
  /** conns[origin index][connection] */
  private readonly conns: NetConnection[][];
  private readonly originOf: number[];
  private readonly batch: NetConnection[] = [];
  private flushQueued = false;
  private readonly sweeper: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(private readonly options: NetTransportOptions) {
    this.requests = options.targets.map(serializeRequest);
    const origins: string[] = [];
    const endpoints: Endpoint[] = [];
    this.originOf = this.requests.map(r => {
      let i = origins.indexOf(r.origin);
      if (i < 0) {
        i = origins.push(r.origin) - 1;
        const pin = lookupResolve(
          options.resolve,
          r.hostname,
          String(r.port),
          'http:',
        );
        endpoints.push(
          pin
            ? { host: pin.address, port: pin.port }
            : { host: r.hostname, port: r.port },
        );
      }
      return i;
    });
    // One read buffer per transport, i.e. per thread: reads are parsed
    // synchronously, so connections never overwrite each other's unread bytes.
    const readBuffer = Buffer.allocUnsafe(READ_BUFFER_BYTES);
    this.conns = endpoints.map(e =>
      Array.from(
        { length: options.connections },
        () => new NetConnection(e, readBuffer),
      ),
    );
    if (options.timeoutMs > 0) {
      // One sweep timer instead of a timer per request, as the undici transport does.
      const every = Math.min(Math.max(options.timeoutMs / 10, 5), 250);
      this.sweeper = setInterval(() => this.sweep(), every);
      this.sweeper.unref();
    }
  }

  /** Opens every connection before the load starts. */
  async prepare(): Promise<void> {
    const waitMs = this.options.timeoutMs > 0 ? this.options.timeoutMs : 10_000;
    await Promise.all(this.conns.flat().map(c => c.prepare(waitMs)));
  }

  requestBytes(target: number): number {
    return this.requests[target].bodyBytes;
  }

  send(lane: number, target: number, done: Completion): void {
    if (this.closed) {
      queueMicrotask(() => done(0, false, 0, 'other'));
      return;
    }
    const conns = this.conns[this.originOf[target]];
    const conn = conns[lane % conns.length];
    const req = this.requests[target];
    const deadline =
      this.options.timeoutMs > 0
        ? performance.now() + this.options.timeoutMs
        : Infinity;
    conn.enqueue(req.bytes, req.head, deadline, done);
    if (!conn.dirty) {
      conn.dirty = true;
      this.batch.push(conn);
    }
    if (!this.flushQueued) {
      this.flushQueued = true;
      setImmediate(this.flush);
    }
  }

  /** Writes every connection that got requests during this event-loop turn. */
  private readonly flush = () => {
    this.flushQueued = false;
    const batch = this.batch;
    for (let i = 0; i < batch.length; i++) batch[i].flush();
    batch.length = 0;
  };

  private sweep(): void {
    const now = performance.now();
    for (const origin of this.conns) for (const c of origin) c.expire(now);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.sweeper) clearInterval(this.sweeper);
    for (const origin of this.conns) for (const c of origin) c.fail('reset');
  }
}
