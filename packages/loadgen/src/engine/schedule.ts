/**
 * The open-loop (wrk2-style) send schedule and the weighted choice of
 * targets. Pure: time comes in as numbers, randomness as a function.
 *
 * @packageDocumentation
 */

/** Settings of a fixed-rate schedule shared by all lanes of all threads. */
export interface ScheduleOptions {
  /** Total requests per second across every lane of every thread. */
  rate: number;
  /** Lanes across every thread. */
  totalLanes: number;
  /** Time (ms) the first request of lane 0 is due. */
  startMs: number;
  /** Uniform jitter, as a fraction (0..0.5) of one lane's send interval. */
  jitter?: number;
  /** Random source in [0, 1); injectable for tests. */
  random?: () => number;
}

/**
 * When each request is meant to be sent. Request `k` of global lane `g` is
 * due at `start + (g + k * totalLanes) / rate`: the lanes interleave, so the
 * combined schedule is evenly spaced at `1 / rate`, and each lane sends every
 * `totalLanes / rate`. Jitter moves each send time by up to
 * `±jitter * totalLanes / rate` without changing the average rate.
 */
export class Schedule {
  private readonly intervalMs: number;
  private readonly laneIntervalMs: number;
  private readonly jitterMs: number;
  private readonly random: () => number;

  constructor(private readonly options: ScheduleOptions) {
    if (!(options.rate > 0)) throw new Error('schedule rate must be positive');
    this.intervalMs = 1000 / options.rate;
    this.laneIntervalMs = this.intervalMs * options.totalLanes;
    this.jitterMs =
      Math.min(Math.max(options.jitter ?? 0, 0), 0.5) * this.laneIntervalMs;
    this.random = options.random ?? Math.random;
  }

  /** Intended send time (ms) of request `k` of global lane `lane`. */
  at(lane: number, k: number): number {
    // index * 1000 / rate rather than index * (1000 / rate): exact for whole
    // results, so a window holds exactly rate x seconds requests.
    const base =
      this.options.startMs +
      ((lane + k * this.options.totalLanes) * 1000) / this.options.rate;
    return this.jitterMs === 0
      ? base
      : base + (this.random() * 2 - 1) * this.jitterMs;
  }

  /** Interval between two sends of one lane, ms. */
  get laneInterval(): number {
    return this.laneIntervalMs;
  }
}

/**
 * Smooth weighted round robin (as nginx balances upstreams): deterministic,
 * spreads each target's turns evenly, and over any full cycle gives every
 * target exactly its share.
 */
export class WeightedPicker {
  private readonly weights: number[];
  private readonly current: number[];
  private readonly total: number;

  constructor(weights: number[]) {
    if (weights.length === 0) throw new Error('at least one target is needed');
    this.weights = weights.map(w => (Number.isFinite(w) && w > 0 ? w : 0));
    this.total = this.weights.reduce((a, b) => a + b, 0);
    if (this.total <= 0) throw new Error('target weights must not all be zero');
    this.current = this.weights.map(() => 0);
  }

  /** Index of the next target. */
  next(): number {
    if (this.weights.length === 1) return 0;
    let best = 0;
    for (let i = 0; i < this.weights.length; i++) {
      this.current[i] += this.weights[i];
      if (this.current[i] > this.current[best]) best = i;
    }
    this.current[best] -= this.total;
    return best;
  }
}
