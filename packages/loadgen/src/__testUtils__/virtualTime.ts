/**
 * Virtual time for engine tests: a clock and timers that only move when the test runs them, so
 * schedules, stalls, warmups and aborts are checked exactly, however busy the machine is.
 */
import type { Clock, Timers } from '../engine/engine';
import type { Completion, Transport } from '../transport/types';

interface Pending {
  id: number;
  at: number;
  seq: number;
  fn: () => void;
  every?: number;
}

/** A clock plus timers sharing one virtual time line (ms). */
export class VirtualTime implements Clock, Timers {
  private time: number;
  // Handles start at 1: callers test them for truthiness, as they may with Node's.
  private seq = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(start = 0) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  setTimeout(fn: () => void, ms: number): number {
    return this.add(fn, Math.max(0, ms));
  }

  setInterval(fn: () => void, ms: number): number {
    return this.add(fn, Math.max(1, ms), Math.max(1, ms));
  }

  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number);
  }

  clearInterval(handle: unknown): void {
    this.pending.delete(handle as number);
  }

  /** From inside a callback: the event loop is busy for `ms` (time moves, nothing runs). */
  block(ms: number): void {
    this.time += ms;
  }

  /** Runs due timers in time order (ties in creation order) until none is left or `until`. */
  run(until = Infinity): void {
    for (;;) {
      let next: Pending | undefined;
      for (const p of this.pending.values()) {
        if (!next || p.at < next.at || (p.at === next.at && p.seq < next.seq))
          next = p;
      }
      if (!next || next.at > until) break;
      this.time = Math.max(this.time, next.at);
      if (next.every) {
        next.at += next.every;
        next.seq = this.seq++;
      } else {
        this.pending.delete(next.id);
      }
      next.fn();
    }
    if (until !== Infinity) this.time = Math.max(this.time, until);
  }

  private add(fn: () => void, delay: number, every?: number): number {
    const id = this.seq++;
    this.pending.set(id, { id, at: this.time + delay, seq: id, fn, every });
    return id;
  }
}

/** What the fake server does with one request. */
export interface FakeReply {
  /** Service time, ms. */
  latencyMs: number;
  status?: number;
  /** Never answer. */
  hang?: boolean;
}

/**
 * A transport that answers on virtual time: each request gets the reply `reply(sentAt, n)` says,
 * and a stall holds every answer due inside a window until the window ends, as a paused server
 * would. Records the send time of every request.
 */
export class FakeTransport implements Transport {
  readonly sends: number[] = [];
  private stall?: { from: number; until: number };

  constructor(
    private readonly time: VirtualTime,
    private readonly reply: (sentAt: number, n: number) => FakeReply = () => ({
      latencyMs: 2,
    }),
  ) {}

  /** Holds every answer that would be sent in [from, until) until `until`. */
  stallBetween(from: number, until: number): void {
    this.stall = { from, until };
  }

  send(_lane: number, _target: number, done: Completion): void {
    const sentAt = this.time.now();
    const r = this.reply(sentAt, this.sends.length);
    this.sends.push(sentAt);
    if (r.hang) return;
    let answerAt = sentAt + r.latencyMs;
    if (
      this.stall &&
      answerAt >= this.stall.from &&
      answerAt < this.stall.until
    )
      answerAt = this.stall.until;
    const status = r.status ?? 200;
    this.time.setTimeout(
      () => done(status, status < 400, 100, undefined, 60),
      answerAt - sentAt,
    );
  }

  async prepare(): Promise<void> {}

  requestBytes(): number {
    return 40;
  }

  async close(): Promise<void> {}
}
