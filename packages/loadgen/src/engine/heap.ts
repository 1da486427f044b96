/**
 * A binary min-heap of (time, lane) pairs: the open-loop scheduler keeps the
 * lanes waiting for their next send time here, so one timer serves them all.
 *
 * @packageDocumentation
 */

/** Min-heap of lanes keyed by the time they are due. */
export class LaneHeap {
  private readonly times: number[] = [];
  private readonly lanes: number[] = [];

  get size(): number {
    return this.times.length;
  }

  /** Earliest due time, or Infinity when empty. */
  peekTime(): number {
    return this.times.length > 0 ? this.times[0] : Infinity;
  }

  push(time: number, lane: number): void {
    const t = this.times;
    const l = this.lanes;
    let i = t.length;
    t.push(time);
    l.push(lane);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (t[parent] <= time) break;
      t[i] = t[parent];
      l[i] = l[parent];
      i = parent;
    }
    t[i] = time;
    l[i] = lane;
  }

  /** Removes and returns the lane due first (undefined when empty). */
  pop(): number | undefined {
    const t = this.times;
    const l = this.lanes;
    if (t.length === 0) return undefined;
    const top = l[0];
    const lastTime = t.pop()!;
    const lastLane = l.pop()!;
    const n = t.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        const a = 2 * i + 1;
        if (a >= n) break;
        const b = a + 1;
        const c = b < n && t[b] < t[a] ? b : a;
        if (t[c] >= lastTime) break;
        t[i] = t[c];
        l[i] = l[c];
        i = c;
      }
      t[i] = lastTime;
      l[i] = lastLane;
    }
    return top;
  }

  /** Removes everything, returning the lanes. */
  drain(): number[] {
    const out = [...this.lanes];
    this.times.length = 0;
    this.lanes.length = 0;
    return out;
  }
}
