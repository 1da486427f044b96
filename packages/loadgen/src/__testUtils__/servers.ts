/**
 * Local servers for tests: a node:http server with behaviours chosen by
 * path, able to pause all responses for a while (the stall test).
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { performance } from 'node:perf_hooks';

/** A running test server. */
export interface TestServer {
  url: string;
  port: number;
  /** Arrival times (performance.now) of every request, in order. */
  arrivals: number[];
  /** HTTP versions seen. */
  versions: Set<string>;
  /** From `inMs` from now, hold every response until `forMs` later. */
  pauseAt(inMs: number, forMs: number): void;
  close(): Promise<void>;
}

/**
 * Paths: `/` → 200 "ok"; `/delay/<ms>`; `/status/<code>`; `/alternate/<ms>`
 * delays every second request by ms; `/hang` never answers; `/reset`
 * destroys the socket.
 */
export function startHttpServer(): Promise<TestServer> {
  const arrivals: number[] = [];
  const versions = new Set<string>();
  const sockets = new Set<Socket>();
  let pauseFrom = Infinity;
  let pauseUntil = -Infinity;
  let alternate = 0;
  const server = http.createServer((req, res) => {
    const now = performance.now();
    arrivals.push(now);
    versions.add(req.httpVersion);
    const url = req.url ?? '/';
    const reply = (code = 200, body = 'ok') => {
      const send = () => {
        res.statusCode = code;
        res.end(body);
      };
      const t = performance.now();
      // Paused: answer when the pause ends, as a stalled server would.
      if (t >= pauseFrom && t < pauseUntil) setTimeout(send, pauseUntil - t);
      else send();
    };
    req.resume();
    req.on('end', () => {
      const [, kind, arg] = /^\/([a-z]+)(?:\/(\d+))?/.exec(url) ?? [];
      const n = Number(arg);
      if (kind === 'delay') setTimeout(() => reply(), n);
      else if (kind === 'status') reply(n, 'status');
      else if (kind === 'alternate') {
        if (alternate++ % 2 === 1) setTimeout(() => reply(), n);
        else reply();
      } else if (kind === 'hang') {
        // never answer
      } else if (kind === 'reset') req.socket.destroy();
      else reply();
    });
  });
  server.keepAliveTimeout = 60_000;
  server.on('connection', s => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return new Promise(resolve => {
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as AddressInfo).port;
      resolve({
        url: `http://127.0.0.1:${port}`,
        port,
        arrivals,
        versions,
        pauseAt(inMs, forMs) {
          pauseFrom = performance.now() + inMs;
          pauseUntil = pauseFrom + forMs;
        },
        close: () =>
          new Promise<void>(done => {
            for (const s of sockets) s.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}

/** A port with nothing listening on it. */
export function closedPort(): Promise<number> {
  return new Promise(resolve => {
    const s = http.createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}
