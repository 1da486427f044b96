import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FaultInjector } from './injector';
import { faultResponse } from './responses';
import type { CutPoint, FaultScope } from './spec';
import { type FaultTarget, faultTarget, inScope } from './target';

interface OpenStream {
  target: FaultTarget;
  req: IncomingMessage;
  res: ServerResponse;
}

/**
 * Carries out the injector's decisions on real requests, in front of the API handler: delays,
 * error answers, connections cut before the request is served or in the middle of its answer,
 * and watches dropped after a while or on demand. Keeps the open watches for
 * {@link FaultLayer.dropWatches}.
 */
export class FaultLayer {
  readonly #streams = new Set<OpenStream>();
  readonly #timers = new Set<ReturnType<typeof setTimeout>>();

  constructor(
    private readonly injector: FaultInjector,
    private readonly deps: {
      /** The kind of a request's resource, for 422 messages. */
      kindOf: (t: FaultTarget) => string | undefined;
      log: (line: string) => void;
    },
  ) {}

  /** Serves a request through the faults: `next` runs the API handler, unless a fault answers instead. */
  handle(req: IncomingMessage, res: ServerResponse, next: () => void): void {
    const target = faultTarget(req.method ?? 'GET', req.url ?? '/');
    const decision = this.injector.active
      ? this.injector.decide(target)
      : { latencyMs: 0 };
    const go = () => {
      if (req.socket.destroyed) return;
      const fault = decision.fault;
      if (fault?.kind === 'cut') {
        this.#log(`cut at ${fault.cutAt}`, target);
        this.#cut(req, res, fault.cutAt ?? 'body', next);
        return;
      }
      if (fault) {
        this.#log(fault.kind, target);
        const answer = faultResponse(fault.kind, target, {
          retryAfterSeconds: fault.retryAfterSeconds,
          kindOf: this.deps.kindOf,
        });
        // The body of the request is not read: drain it so the connection can be reused.
        req.resume();
        res.writeHead(answer.status, {
          ...answer.headers,
          'Content-Length': Buffer.byteLength(answer.body),
        });
        res.end(answer.body);
        return;
      }
      if (target.verb === 'watch') this.#track(target, req, res, decision);
      next();
    };
    if (decision.latencyMs > 0) this.#later(go, decision.latencyMs);
    else go();
  }

  /**
   * Drops the open watches in scope (all without one), now: `reset` destroys the connection as a
   * network failure or a crashed API server would; `end` ends the stream cleanly, as a server
   * closing watches does. Resolves the number dropped.
   */
  dropWatches(
    options: { mode?: 'reset' | 'end'; match?: FaultScope } = {},
  ): number {
    let n = 0;
    for (const s of [...this.#streams]) {
      if (options.match && !inScope(options.match, s.target)) continue;
      this.#drop(s, options.mode ?? 'reset', 'sim.faults.dropWatches()');
      n++;
    }
    return n;
  }

  /** Cancels pending delays and drops (the server is closing). */
  close(): void {
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
    this.#streams.clear();
  }

  #track(
    target: FaultTarget,
    req: IncomingMessage,
    res: ServerResponse,
    decision: {
      dropWatch?: { afterMs: number; mode: 'reset' | 'end' };
      rule?: string;
    },
  ): void {
    const stream: OpenStream = { target, req, res };
    this.#streams.add(stream);
    let timer: ReturnType<typeof setTimeout> | undefined;
    res.once('close', () => {
      this.#streams.delete(stream);
      if (timer) {
        clearTimeout(timer);
        this.#timers.delete(timer);
      }
    });
    const drop = decision.dropWatch;
    if (drop) {
      timer = this.#later(
        () => this.#drop(stream, drop.mode, decision.rule ?? ''),
        drop.afterMs,
      );
    }
  }

  #drop(s: OpenStream, mode: 'reset' | 'end', rule: string): void {
    if (!this.#streams.delete(s)) return;
    this.#log(`dropWatch (${mode})`, s.target);
    this.injector.record(s.target, { kind: 'dropWatch', rule });
    if (mode === 'reset') s.req.socket.destroy();
    else s.res.end();
  }

  /**
   * Cuts the connection: at `request` before the request is served (it never happens), else after
   * the handler ran (its change is made) once the headers, or the headers and half the body, are
   * out. The socket is ended after what was written is flushed, so the client reads exactly that
   * much and then a closed connection.
   */
  #cut(
    req: IncomingMessage,
    res: ServerResponse,
    at: CutPoint,
    next: () => void,
  ): void {
    if (at === 'request') {
      req.socket.destroy();
      return;
    }
    const socket = req.socket;
    res.end = ((chunk?: unknown) => {
      const body =
        typeof chunk === 'string' || chunk instanceof Uint8Array
          ? Buffer.from(chunk as string)
          : Buffer.alloc(0);
      res.flushHeaders();
      const part =
        at === 'body' ? body.subarray(0, Math.floor(body.length / 2)) : '';
      // Once what was written is flushed, the connection goes: the client reads that much, then
      // a closed connection.
      socket.write(part, () => socket.destroy());
      return res;
    }) as ServerResponse['end'];
    next();
  }

  #later(fn: () => void, ms: number): ReturnType<typeof setTimeout> {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      fn();
    }, ms);
    this.#timers.add(timer);
    return timer;
  }

  #log(what: string, t: FaultTarget): void {
    this.deps.log(`fault: ${what} on ${t.method} ${t.path}`);
  }
}
