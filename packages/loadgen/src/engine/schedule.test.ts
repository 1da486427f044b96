import { LaneHeap } from './heap';
import { Schedule, WeightedPicker } from './schedule';

describe('Schedule', () => {
  it('interleaves lanes into an evenly spaced schedule', () => {
    const s = new Schedule({ rate: 100, totalLanes: 4, startMs: 1000 });
    const times = [];
    for (let k = 0; k < 3; k++)
      for (let lane = 0; lane < 4; lane++) times.push(s.at(lane, k));
    times.sort((a, b) => a - b);
    expect(times).toEqual(Array.from({ length: 12 }, (_, i) => 1000 + i * 10));
    expect(s.laneInterval).toBe(40);
  });

  it('jitters each send within the bound without moving the average', () => {
    let i = 0;
    const randoms = [0, 1 - 1e-9, 0.5];
    const s = new Schedule({
      rate: 100,
      totalLanes: 1,
      startMs: 0,
      jitter: 0.1,
      random: () => randoms[i++ % 3],
    });
    expect(s.at(0, 10)).toBeCloseTo(100 - 1);
    expect(s.at(0, 10)).toBeCloseTo(100 + 1);
    expect(s.at(0, 10)).toBeCloseTo(100);
  });
});

describe('WeightedPicker', () => {
  it('gives each target exactly its share over a cycle, spread evenly', () => {
    const p = new WeightedPicker([5, 1, 1]);
    const picks = Array.from({ length: 7 }, () => p.next());
    expect(picks.filter(x => x === 0)).toHaveLength(5);
    expect(picks.filter(x => x === 1)).toHaveLength(1);
    expect(picks).toEqual([0, 0, 1, 0, 2, 0, 0]);
    expect(() => new WeightedPicker([0, 0])).toThrow();
  });
});

describe('LaneHeap', () => {
  it('pops lanes in time order', () => {
    const h = new LaneHeap();
    const times = [5, 3, 9, 1, 7, 3.5, 0, 8];
    times.forEach((t, lane) => h.push(t, lane));
    const order = [];
    while (h.size > 0) order.push(h.pop());
    expect(order).toEqual([6, 3, 1, 5, 0, 4, 7, 2]);
    expect(h.peekTime()).toBe(Infinity);
  });
});
