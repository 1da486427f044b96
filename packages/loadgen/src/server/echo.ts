/**
 * The echo server behind `meshperf server` (and the `meshstage/echo`
 * image): answers every request with a JSON description of it, HTTP/1.1 and
 * prior-knowledge h2c on the same port, with fortio-style knobs for delay and
 * status, and `/healthz` for probes.
 *
 * @packageDocumentation
 */
import http from 'node:http';
import http2 from 'node:http2';
import net from 'node:net';
import os from 'node:os';
import { Duplex } from 'node:stream';
import { KnobError, parseKnobs, pick } from './knobs';

/** Options of {@link startEchoServer}. */
export interface EchoServerOptions {
  /** Port; 0 picks a free one. */
  port: number;
  /** Address to listen on; default all interfaces. */
  host?: string;
  /** Name reported in responses (default: POD_NAME, HOSTNAME, or the machine's host name). */
  name?: string;
  /** Random source for probabilistic knobs (tests). */
  random?: () => number;
}

/** A listening echo server. */
export interface EchoServer {
  /** The port it listens on. */
  readonly port: number;
  /** Requests answered so far. */
  readonly served: number;
  /** Stops accepting, ends open connections and resolves when closed. */
  close(): Promise<void>;
}

type AnyRequest = http.IncomingMessage | http2.Http2ServerRequest;
type AnyResponse = http.ServerResponse | http2.Http2ServerResponse;

// The client connection preface every prior-knowledge HTTP/2 connection starts with.
const H2_PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');

/**
 * A stream over `socket` that first yields `head`. HTTP/2 reads a net.Socket
 * through its native handle, which would skip bytes already read in
 * JavaScript; a plain Duplex makes it read through the stream instead.
 */
function streamFrom(socket: net.Socket, head: Buffer): Duplex {
  const duplex = new Duplex({
    read: () => socket.resume(),
    write: (chunk, encoding, callback) =>
      socket.write(chunk, encoding, callback),
    final: callback => socket.end(callback),
    destroy: (err, callback) => {
      socket.destroy(err ?? undefined);
      callback(err);
    },
  });
  duplex.push(head);
  socket.on('data', d => {
    if (!duplex.push(d)) socket.pause();
  });
  socket.on('end', () => duplex.push(null));
  socket.on('close', () => duplex.destroy());
  return duplex;
}

/** Starts the echo server. */
export async function startEchoServer(
  options: EchoServerOptions,
): Promise<EchoServer> {
  const name =
    options.name ??
    process.env.POD_NAME ??
    process.env.HOSTNAME ??
    os.hostname();
  const random = options.random ?? Math.random;
  let served = 0;

  const handle = (req: AnyRequest, res: AnyResponse): void => {
    const url = new URL(req.url ?? '/', 'http://echo');
    let bodyBytes = 0;
    req.on('data', (c: Buffer) => (bodyBytes += c.length));
    req.on('end', () => {
      served++;
      const send = (status: number, body: unknown, close = false) => {
        const text = `${JSON.stringify(body)}\n`;
        const headers: Record<string, string> = {
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(text)),
          'x-meshperf-echo': name,
        };
        // HTTP/2 has no Connection header; closing there means ending the session.
        if (close && req.httpVersionMajor < 2) headers.connection = 'close';
        // The two response classes share these methods but not a callable union type.
        const r = res as http.ServerResponse;
        r.writeHead(status, headers);
        r.end(text);
      };
      if (url.pathname === '/healthz') {
        send(200, { status: 'ok', name });
        return;
      }
      let knobs;
      try {
        knobs = parseKnobs(url.searchParams);
      } catch (e) {
        if (e instanceof KnobError) {
          send(400, { error: e.message });
          return;
        }
        throw e;
      }
      const status = pick(knobs.status, random(), 200);
      const delay = pick(knobs.delay, random(), 0);
      const body = {
        name,
        method: req.method,
        url: req.url,
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        protocol: `HTTP/${req.httpVersion}`,
        host: req.headers.host ?? req.headers[':authority'],
        headers: Object.fromEntries(
          Object.entries(req.headers).filter(([k]) => !k.startsWith(':')),
        ),
        remoteAddress: req.socket?.remoteAddress,
        bodyBytes,
        status,
        delayMs: delay,
      };
      if (delay > 0) setTimeout(() => send(status, body, knobs.close), delay);
      else send(status, body, knobs.close);
    });
  };

  const h1 = http.createServer({ keepAliveTimeout: 60_000 }, handle);
  const h2 = http2.createServer({}, handle);
  const sockets = new Set<net.Socket>();
  const sessions = new Set<http2.ServerHttp2Session>();
  h2.on('session', s => {
    sessions.add(s);
    s.on('close', () => sessions.delete(s));
  });
  // One port for both: sniff the first bytes for the HTTP/2 preface.
  const server = net.createServer(socket => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    let head = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      head = Buffer.concat([head, chunk]);
      const n = Math.min(head.length, H2_PREFACE.length);
      const isH2 = head.subarray(0, n).equals(H2_PREFACE.subarray(0, n));
      if (isH2 && head.length < H2_PREFACE.length) return;
      socket.off('data', onData);
      if (isH2) {
        h2.emit('connection', streamFrom(socket, head));
        return;
      }
      socket.pause();
      socket.unshift(head);
      h1.emit('connection', socket);
      socket.resume();
    };
    socket.on('data', onData);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    get served() {
      return served;
    },
    close: () =>
      new Promise<void>(resolve => {
        server.close(() => resolve());
        for (const s of sessions) s.close();
        h1.closeIdleConnections();
        // Responses in flight get a moment; then every connection goes.
        setTimeout(() => {
          for (const s of sockets) s.destroy();
        }, 200).unref();
      }),
  };
}
