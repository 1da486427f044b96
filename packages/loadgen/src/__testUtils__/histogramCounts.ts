import type { Histogram } from '../stats/histogram';

/** How many recorded latencies (µs values) exceed `ms` milliseconds. */
export function countAbove(h: Histogram, ms: number): number {
  let n = 0;
  const it = h.recordedValuesIterator;
  it.reset();
  while (it.hasNext()) {
    const v = it.next();
    if (v.valueIteratedTo > ms * 1000) n += v.countAtValueIteratedTo;
  }
  return n;
}
