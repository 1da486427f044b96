/**
 * One keep-alive HTTP/1.1 connection of the `net` transport: a socket, the
 * requests in flight on it (in the order they were written, so responses
 * match them one by one, which is what makes pipelining work), and the
 * bytes waiting for the next write. A lost socket fails what was in flight;
 * the next request opens a new one.
 *
 * @packageDocumentation
 */
import net, { type Socket } from 'node:net';
import type { ErrorKind } from '../types';
import { classifyError } from './errors';
import { Http1ResponseParser } from './http1Parser';
import type { Completion } from './types';

/** Where a connection goes (after `--resolve` pins). */
export interface Endpoint {
  host: string;
  port: number;
}

/** A request on the wire, or queued for the next write. */
interface InFlight {
  done: Completion;
  /** performance.now() after which it has timed out; Infinity without a timeout. */
  deadline: number;
  head: boolean;
}

/** A keep-alive connection that reconnects on demand. */
export class NetConnection {
  /** Set by the transport while the connection waits in its write batch. */
  dirty = false;
  private socket: Socket | undefined;
  private inflight: InFlight[] = [];
  private out: Buffer[] = [];

  /**
   * @param readBuffer - where socket reads land; shared by every connection
   *   of a thread, which is safe because each read is parsed before the next
   *   one starts, and avoids an allocation per read
   */
  constructor(
    private readonly endpoint: Endpoint,
    private readonly readBuffer: Buffer,
  ) {}

  /**
   * Opens the socket ahead of the load. Resolves when it is connected or
   * has failed (a failure shows up on first use), or after `waitMs`.
   */
  prepare(waitMs: number): Promise<void> {
    const socket = this.socket ?? this.open();
    if (!socket || !socket.connecting) return Promise.resolve();
    return new Promise(resolve => {
      const timer = setTimeout(finish, waitMs);
      function finish() {
        clearTimeout(timer);
        socket!.off('connect', finish);
        socket!.off('close', finish);
        resolve();
      }
      socket.once('connect', finish);
      socket.once('close', finish);
    });
  }

  /**
   * Queues a request; its bytes go out at the next {@link NetConnection.flush}.
   * `done` is never called from here: failures arrive from socket events.
   */
  enqueue(bytes: Buffer, head: boolean, deadline: number, done: Completion) {
    this.inflight.push({ done, deadline, head });
    if (!this.socket) this.open();
    this.out.push(bytes);
  }

  /** Writes the queued request bytes in one go. */
  flush(): void {
    this.dirty = false;
    const out = this.out;
    if (out.length === 0) return;
    // Pipelined requests leave as one write (one syscall, one TCP segment).
    const bytes = out.length === 1 ? out[0] : Buffer.concat(out);
    out.length = 0;
    this.socket?.write(bytes);
  }

  /** Fails everything in flight with `timeout` when the oldest request is overdue. */
  expire(now: number): void {
    // Responses come in order, so the oldest request is the one that blocks.
    if (this.inflight.length > 0 && this.inflight[0].deadline <= now) {
      // The others on this connection could only be answered after it:
      // they are stuck behind it, and the connection is dropped anyway.
      this.fail('timeout');
    }
  }

  /** Drops the socket and fails everything in flight with `kind`. */
  fail(kind: ErrorKind): void {
    const failed = this.detach();
    for (const r of failed) r.done(0, false, 0, kind);
  }

  /** Detaches the socket (destroying it) and hands back what was in flight. */
  private detach(): InFlight[] {
    const socket = this.socket;
    this.socket = undefined;
    socket?.destroy();
    const failed = this.inflight;
    this.inflight = [];
    this.out = [];
    return failed;
  }

  private open(): Socket | undefined {
    // One parser per socket: bytes still being parsed from a dropped socket
    // must never be matched with requests of its replacement.
    let socket: Socket;
    const current = () => this.socket === socket;
    const parser = new Http1ResponseParser({
      isHeadResponse: () => this.inflight[0]?.head ?? false,
      onResponse: (status, headerBytes, bodyBytes, keepAlive) => {
        if (current())
          this.responded(status, headerBytes, bodyBytes, keepAlive);
      },
    });
    try {
      socket = net.connect({
        host: this.endpoint.host,
        port: this.endpoint.port,
        noDelay: true,
        onread: {
          buffer: this.readBuffer,
          callback: (n: number, buf: Uint8Array) => {
            if (current() && !parser.execute(buf, 0, n) && current())
              this.fail('other');
            return true;
          },
        },
      });
    } catch {
      // Invalid connect options: fail asynchronously, as a connect error would.
      process.nextTick(() => {
        if (!this.socket) this.fail('other');
      });
      return undefined;
    }
    this.socket = socket;
    socket.on('error', err => {
      if (current()) this.fail(classifyError(err));
    });
    // The server closed: a response read until the close completes now;
    // whatever else was in flight was cut off.
    const ended = () => {
      if (!current()) return;
      parser.finish();
      if (current()) this.fail('reset');
    };
    socket.on('end', ended);
    socket.on('close', ended);
    return socket;
  }

  private responded(
    status: number,
    headerBytes: number,
    bodyBytes: number,
    keepAlive: boolean,
  ): void {
    if (this.inflight.length === 0) {
      // A response nobody asked for: the connection is out of step.
      this.fail('other');
      return;
    }
    const ok = status >= 200 && status < 400;
    const received = headerBytes + bodyBytes;
    if (keepAlive) {
      const r = this.inflight.shift()!;
      r.done(status, ok, received, undefined, headerBytes);
      return;
    }
    // The server closes after this response: detach first, so a request the
    // completion sends right away opens a new connection; requests pipelined
    // behind this one will not be answered.
    const [r, ...rest] = this.detach();
    r.done(status, ok, received, undefined, headerBytes);
    for (const x of rest) x.done(0, false, 0, 'reset');
  }
}
