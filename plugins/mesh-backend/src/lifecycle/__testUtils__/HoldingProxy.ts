import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HoldRule } from './killPoints';

/** A request the proxy held: what it was, and whether the cluster has applied it. */
export interface HeldRequest {
  method: string;
  path: string;
  /** True when the cluster answered it (phase `after`): the change is in the cluster. */
  forwarded: boolean;
  /** The cluster's status code, when forwarded. */
  status?: number;
}

/**
 * A plain-HTTP proxy between a backend and a kube-sim that can stop the backend at an exact
 * cluster request: armed with a {@link HoldRule}, it holds the matching request (never forwarded,
 * or forwarded and its answer kept back) and reports it, so a test can kill the backend while it
 * waits for that answer. It can also hold every write for a while (reads pass), to keep
 * operations at their first write. Everything else is passed through as it comes, streams included. The
 * target can change between uses, so one backend configuration serves many clusters in turn.
 */
export class HoldingProxy {
  readonly #server: http.Server;
  #target?: URL;
  #rule?: HoldRule;
  #counts = new Map<string, number>();
  #held?: { request: HeldRequest; res: http.ServerResponse };
  #waiters: Array<(held: HeldRequest) => void> = [];
  /** Writes waiting for {@link releaseWrites}, when writes are held. */
  #heldWrites?: Array<() => void>;
  /** `METHOD path` of every request since the proxy was last armed, for failure messages. */
  readonly seen: string[] = [];

  private constructor(server: http.Server) {
    this.#server = server;
  }

  static async start(): Promise<HoldingProxy> {
    const server = http.createServer();
    const proxy = new HoldingProxy(server);
    server.on('request', (req, res) => proxy.#handle(req, res));
    await new Promise<void>(resolve =>
      server.listen(0, '127.0.0.1', () => resolve()),
    );
    return proxy;
  }

  get url(): string {
    const { port } = this.#server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  /** Sends what follows to this API server. */
  setTarget(url: string) {
    this.#target = new URL(url);
  }

  /** Holds the request the rule names; requests are counted from now. */
  arm(rule: HoldRule) {
    this.disarm();
    this.#rule = rule;
  }

  /** The request held now, if any. */
  get holding(): HeldRequest | undefined {
    return this.#held?.request;
  }

  /** Resolves with the held request once the rule has matched. */
  held(): Promise<HeldRequest> {
    if (this.#held) return Promise.resolve(this.#held.request);
    return new Promise(resolve => this.#waiters.push(resolve));
  }

  /** Forgets the rule and drops a held request without answering (its client is gone). */
  disarm() {
    this.#rule = undefined;
    this.#counts = new Map();
    this.seen.length = 0;
    this.#held?.res.destroy();
    this.#held = undefined;
  }

  /**
   * Holds every request but GETs (reads pass) until {@link releaseWrites}: operations started
   * meanwhile stay at their first write, still holding their locks.
   */
  holdWrites() {
    this.#heldWrites ??= [];
  }

  /** Forwards the writes held since {@link holdWrites}, in order, and lets later ones through. */
  releaseWrites() {
    const queued = this.#heldWrites ?? [];
    this.#heldWrites = undefined;
    for (const forward of queued) forward();
  }

  /** How many writes wait for {@link releaseWrites}. */
  get heldWrites(): number {
    return this.#heldWrites?.length ?? 0;
  }

  async close(): Promise<void> {
    this.disarm();
    await new Promise<void>(resolve => {
      this.#server.close(() => resolve());
      this.#server.closeAllConnections();
    });
  }

  #handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const method = req.method ?? 'GET';
    if (this.#heldWrites && method !== 'GET') {
      this.#heldWrites.push(() => this.#handle(req, res));
      return;
    }
    const path = new URL(req.url ?? '/', 'http://proxy').pathname;
    const key = `${method} ${path}`;
    const count = (this.#counts.get(key) ?? 0) + 1;
    this.#counts.set(key, count);
    this.seen.push(key);
    const rule = this.#rule;
    const hold =
      rule !== undefined &&
      !this.#held &&
      rule.method === method &&
      decodeURIComponent(path) === decodeURIComponent(rule.path) &&
      rule.occurrence === count;
    if (hold && rule.phase === 'before') {
      // Read the body so the client sees its request sent, then never answer.
      req.resume();
      this.#hold({ method, path, forwarded: false }, res);
      return;
    }
    const target = this.#target;
    if (!target) {
      res.writeHead(502).end('no target');
      return;
    }
    const upstream = http.request(
      {
        host: target.hostname,
        port: target.port,
        method,
        path: req.url,
        headers: { ...req.headers, host: target.host },
      },
      answer => {
        if (hold) {
          // The cluster applied it; the backend never learns.
          answer.resume();
          answer.on('end', () =>
            this.#hold(
              { method, path, forwarded: true, status: answer.statusCode },
              res,
            ),
          );
          return;
        }
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    res.on('close', () => upstream.destroy());
    req.pipe(upstream);
  }

  #hold(request: HeldRequest, res: http.ServerResponse) {
    this.#held = { request, res };
    for (const resolve of this.#waiters.splice(0)) resolve(request);
  }
}
