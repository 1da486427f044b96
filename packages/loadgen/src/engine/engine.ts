/**
 * The load engine of one thread: decides when each lane sends, and records
 * what came back. A lane is one request slot (connections x pipelining); it
 * never has more than one request in flight.
 *
 * - Max mode (closed loop): a lane sends its next request as soon as the
 *   previous one completes, like wrk and fortio's `-qps 0`.
 * - Rate mode (open loop, wrk2): request `k` of lane `g` has an intended send
 *   time on a fixed schedule. When the lane is still busy at that time (the
 *   server is holding it up) the request leaves as soon as the lane frees up
 *   and its latency counts from the intended time, so a stalled server shows
 *   in the tail instead of being hidden (coordinated omission corrected).
 *   When the lane was idle at the intended time, latency counts from the
 *   actual send, so the generator's own ~1 ms timer granularity is not
 *   charged to the server; how late sends left is reported separately as
 *   send lag.
 *
 * @packageDocumentation
 */
import type { Transport } from '../transport/types';
import type { Progress } from '../types';
import { Recorder, type RecordedData } from '../stats/recorder';
import { LaneHeap } from './heap';
import { Schedule, WeightedPicker } from './schedule';

/** A monotonic clock in ms. */
export interface Clock {
  now(): number;
}

/** Opaque handle of a timer. */
export type TimerHandle = unknown;

/**
 * The timers the engine waits with. Real runs use Node's; tests pass a virtual scheduler that
 * shares its time with the {@link Clock}, so schedules, stalls and warmups are checked exactly.
 */
export interface Timers {
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
  setInterval(fn: () => void, ms: number): TimerHandle;
  clearInterval(handle: TimerHandle): void;
}

/** Node's own timers. */
export const nodeTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: handle => clearTimeout(handle as NodeJS.Timeout),
  setInterval: (fn, ms) => setInterval(fn, ms),
  clearInterval: handle => clearInterval(handle as NodeJS.Timeout),
};

/** Settings of one engine (one thread's share of a run). */
export interface EngineOptions {
  /** Lanes driven by this engine. */
  lanes: number;
  /** Global index of this engine's first lane (threads interleave their schedules). */
  laneOffset?: number;
  /** Lanes across all threads; default `lanes`. */
  totalLanes?: number;
  /** Requests per second across all threads; 0 = closed loop, as fast as possible. */
  rate: number;
  /** Measured duration, ms (ignored when `count` is set). */
  durationMs?: number;
  /** Measured requests this engine issues. */
  count?: number;
  /** Warmup before measuring, ms. */
  warmupMs?: number;
  /** Jitter fraction for rate mode. */
  jitter?: number;
  /** Target weights; default one target. */
  weights?: number[];
  /** Clock time the run (warmup included) starts; default now. */
  startAt?: number;
  /** After the last send, how long in-flight requests may take before they are dropped, ms. */
  drainMs?: number;
  signal?: AbortSignal;
  onProgress?: (p: Progress) => void;
  progressEveryMs?: number;
  /** Random source for jitter. */
  random?: () => number;
}

/** What an engine run produced. */
export interface EngineOutcome {
  data: RecordedData;
  /** Clock time the measured part began. */
  measureStart: number;
  /**
   * Measured duration, ms: the requested duration (longer if measured sends
   * ran past its end), or up to the last completion in count runs.
   */
  durationMs: number;
  /** True if the run was aborted. */
  aborted: boolean;
}

// Node timers fire on whole milliseconds of loop time, up to ~1 ms early
// against performance.now(); sends due within that slack go now.
const SLACK_MS = 1;

/** Runs load through a transport until the duration or count is reached. */
export function runEngine(
  transport: Transport,
  options: EngineOptions,
  clock: Clock,
  timers: Timers = nodeTimers,
): Promise<EngineOutcome> {
  return new Promise(resolve => {
    const lanes = options.lanes;
    const weights = options.weights ?? [1];
    const picker = new WeightedPicker(weights);
    const recorder = new Recorder(weights.length);
    const startAt = options.startAt ?? clock.now();
    const measureStart = startAt + (options.warmupMs ?? 0);
    const countMode = options.count !== undefined;
    const end = countMode
      ? Infinity
      : measureStart + (options.durationMs ?? 10_000);
    const count = options.count ?? Infinity;
    const openLoop = options.rate > 0;
    const schedule = openLoop
      ? new Schedule({
          rate: options.rate,
          totalLanes: options.totalLanes ?? lanes,
          startMs: startAt,
          jitter: options.jitter,
          random: options.random,
        })
      : undefined;
    const laneOffset = options.laneOffset ?? 0;
    const nextK = new Array<number>(lanes).fill(0);
    const prevDone = new Array<number>(lanes).fill(-Infinity);
    const heap = new LaneHeap();

    let issuedMeasured = 0;
    let lastCompletion = -Infinity;
    let lastMeasuredSend = -Infinity;
    let inflight = 0;
    let activeLanes = lanes;
    let stopped = false;
    let aborted = false;
    let finished = false;
    let timer: TimerHandle | undefined;
    let timerAt = Infinity;
    let drainTimer: TimerHandle | undefined;
    const oneShots: TimerHandle[] = [];

    const progress = options.onProgress
      ? timers.setInterval(() => {
          const now = clock.now();
          const latencyMs = recorder.latencySoFar();
          options.onProgress!({
            elapsedMs: now - measureStart,
            completed: recorder.completed,
            failed: recorder.failed,
            warmingUp: now < measureStart,
            ...(latencyMs ? { latencyMs } : {}),
          });
        }, options.progressEveryMs ?? 250)
      : undefined;

    function finish() {
      if (finished) return;
      finished = true;
      if (timer) timers.clearTimeout(timer);
      if (drainTimer) timers.clearTimeout(drainTimer);
      oneShots.forEach(t => timers.clearTimeout(t));
      if (progress) timers.clearInterval(progress);
      options.signal?.removeEventListener('abort', onAbort);
      const now = clock.now();
      // Duration runs: the requested duration, stretched to the last measured
      // send when sends ran late (a generator that fell behind, or a backlog
      // a stalled server held up), so the rate shows the shortfall. Count
      // runs: up to the last completion.
      const last = recorder.completed > 0 ? lastCompletion : measureStart;
      let durationMs: number;
      if (aborted) durationMs = Math.max(0, Math.min(now, end) - measureStart);
      else if (countMode) durationMs = Math.max(0, last - measureStart);
      else durationMs = Math.max(end, lastMeasuredSend) - measureStart;
      resolve({
        data: recorder.finish(durationMs),
        measureStart,
        durationMs,
        aborted,
      });
    }

    function laneDone() {
      activeLanes--;
      if (activeLanes === 0 && inflight === 0) finish();
    }

    // After the last send, in-flight requests get `drainMs` to complete; a
    // server that never answers must not hold the run open forever.
    function armDrain() {
      if (drainTimer || finished) return;
      drainTimer = timers.setTimeout(() => {
        stopped = true;
        finish();
      }, options.drainMs ?? 5000);
    }

    /** May a request whose reference time is `t` still be issued? */
    function mayIssue(t: number): boolean {
      return (
        !stopped && t < end && (t < measureStart || issuedMeasured < count)
      );
    }

    function sendClosed(lane: number) {
      const now = clock.now();
      if (!mayIssue(now)) {
        laneDone();
        return;
      }
      const measured = now >= measureStart;
      if (measured) {
        lastMeasuredSend = now;
        if (++issuedMeasured === count) armDrain();
      }
      const target = picker.next();
      inflight++;
      transport.send(lane, target, (status, ok, received, error, headers) => {
        inflight--;
        if (finished) return;
        const t = clock.now();
        if (measured && !stopped) {
          lastCompletion = t;
          const sent = transport.requestBytes(target);
          if (error)
            recorder.error(t - measureStart, error, target, sent, received);
          else
            recorder.response(
              t - measureStart,
              (t - now) * 1000,
              status,
              ok,
              target,
              sent,
              received,
              headers,
            );
        }
        sendClosed(lane);
      });
    }

    function sendOpen(lane: number, intended: number, now: number) {
      nextK[lane]++;
      // Busy at the intended time: the server held this lane up, so the wait
      // is part of the latency. Idle: any delay was our timer's, not the server's.
      const from = prevDone[lane] > intended ? intended : now;
      const measured = intended >= measureStart;
      if (measured) {
        lastMeasuredSend = now;
        if (++issuedMeasured === count) armDrain();
        // Lag is the generator's own lateness: only sends whose lane was free.
        if (from === now)
          recorder.lag(now > intended ? (now - intended) * 1000 : 0);
      }
      const target = picker.next();
      inflight++;
      transport.send(lane, target, (status, ok, received, error, headers) => {
        inflight--;
        if (finished) return;
        const t = clock.now();
        prevDone[lane] = t;
        if (measured && !stopped) {
          lastCompletion = t;
          const sent = transport.requestBytes(target);
          if (error)
            recorder.error(t - measureStart, error, target, sent, received);
          else
            recorder.response(
              t - measureStart,
              (t - from) * 1000,
              status,
              ok,
              target,
              sent,
              received,
              headers,
            );
        }
        scheduleOpen(lane);
      });
    }

    function scheduleOpen(lane: number) {
      const intended = schedule!.at(laneOffset + lane, nextK[lane]);
      if (!mayIssue(intended)) {
        laneDone();
        return;
      }
      const now = clock.now();
      if (intended <= now + SLACK_MS) sendOpen(lane, intended, now);
      else {
        heap.push(intended, lane);
        armTimer(now);
      }
    }

    function armTimer(now: number) {
      const due = heap.peekTime();
      if (due >= timerAt || due === Infinity) return;
      if (timer) timers.clearTimeout(timer);
      timerAt = due;
      timer = timers.setTimeout(onTimer, Math.max(0, due - now - SLACK_MS));
    }

    function onTimer() {
      timer = undefined;
      timerAt = Infinity;
      const now = clock.now();
      while (heap.size > 0 && heap.peekTime() <= now + SLACK_MS && !stopped) {
        const time = heap.peekTime();
        const lane = heap.pop()!;
        if (!mayIssue(time)) laneDone();
        else sendOpen(lane, time, now);
      }
      if (heap.size > 0) armTimer(clock.now());
    }

    function onAbort() {
      if (finished) return;
      stopped = true;
      aborted = true;
      finish();
    }
    if (options.signal?.aborted) {
      onAbort();
      return;
    }
    options.signal?.addEventListener('abort', onAbort, { once: true });

    // An open loop that has nothing left to send ends on its own; a count
    // that can never be reached (e.g. zero) as well.
    if (lanes === 0) {
      finish();
      return;
    }
    function begin() {
      // Timers can fire up to ~1 ms early on this clock; starting early
      // would count the first requests as warmup.
      const early = startAt - clock.now();
      if (early > 0) {
        oneShots.push(timers.setTimeout(begin, early));
        return;
      }
      for (let lane = 0; lane < lanes; lane++) {
        if (openLoop) scheduleOpen(lane);
        else sendClosed(lane);
      }
    }
    const wait = startAt - clock.now();
    if (wait > 0) oneShots.push(timers.setTimeout(begin, wait));
    else begin();
    if (!countMode)
      oneShots.push(
        timers.setTimeout(armDrain, Math.max(0, end - clock.now())),
      );
  });
}
