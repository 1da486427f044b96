import { runEngine, type EngineOptions } from './engine';
import {
  FakeTransport,
  VirtualTime,
  type FakeReply,
} from '../__testUtils__/virtualTime';
import { countAbove } from '../__testUtils__/histogramCounts';

// The engine on virtual time: the clock and the timers only move when the test runs them, and
// the fake server answers in 2 ms unless told otherwise. Schedules, stalls, warmups and aborts
// are therefore checked exactly, on any machine; real sockets are covered in run.*.test.ts.
const START = 1000;

async function run(
  options: Partial<EngineOptions>,
  reply?: (sentAt: number, n: number) => FakeReply,
  setup?: (t: FakeTransport, time: VirtualTime) => void,
) {
  const time = new VirtualTime(START);
  const transport = new FakeTransport(time, reply);
  setup?.(transport, time);
  const done = runEngine(
    transport,
    { lanes: 10, rate: 0, startAt: START, ...options },
    time,
    time,
  );
  time.run();
  const outcome = await done;
  const histogram = outcome.data.histogram;
  const slowerThan = (ms: number) => countAbove(histogram, ms);
  const p = (q: number) => histogram.getValueAtPercentile(q) / 1000;
  return { outcome, data: outcome.data, transport, slowerThan, p, time };
}

describe('runEngine on virtual time', () => {
  it('holds a constant rate: every second gets exactly its share', async () => {
    const { outcome, data, transport } = await run({
      rate: 400,
      durationMs: 1500,
    });
    expect(data.total).toBe(600);
    expect(transport.sends).toHaveLength(600);
    expect(data.timeSeries.map(s => s.requests)).toEqual([400, 200]);
    expect(outcome.durationMs).toBe(1500);
    // Evenly spaced: 2.5 ms apart, each leaving within the timers' 1 ms slack of its slot.
    transport.sends.forEach((at, i) => {
      const intended = START + i * 2.5;
      expect(at).toBeGreaterThanOrEqual(intended - 1);
      expect(at).toBeLessThanOrEqual(intended);
    });
  });

  it('charges a server stall to the requests due during it (coordinated omission corrected)', async () => {
    // 200 req/s for 2 s; the server holds every answer due between 0.8 s and 1.3 s.
    const { data, slowerThan, p } = await run(
      { rate: 200, durationMs: 2000 },
      undefined,
      t => t.stallBetween(START + 800, START + 1300),
    );
    expect(data.total).toBe(400);
    // 100 requests (0.5 s at 200/s) were due in the stall; each waited at least from its intended
    // send time to the stall's end, so their latencies spread from ~500 ms down to 0. After the
    // stall each lane owes its backlog one round trip (2 ms) apart, which adds a little to the
    // last few: at most one round per lane, 10 lanes.
    const dueInFirst = (ms: number) => (ms / 1000) * 200; // requests due in the stall's first ms
    for (const ms of [100, 250, 400]) {
      const waitedLonger = dueInFirst(500 - ms);
      expect(slowerThan(ms)).toBeGreaterThanOrEqual(waitedLonger);
      expect(slowerThan(ms)).toBeLessThanOrEqual(waitedLonger + 10);
    }
    expect(slowerThan(10)).toBeGreaterThanOrEqual(100);
    expect(slowerThan(495)).toBeGreaterThanOrEqual(1);
    expect(slowerThan(530)).toBe(0);
    expect(p(50)).toBe(2);
    expect(p(90)).toBeGreaterThan(200);
  });

  it('in max mode only the requests in flight see a stall (what closed-loop tools report)', async () => {
    const { data, slowerThan, p } = await run(
      { rate: 0, durationMs: 1500 },
      undefined,
      t => t.stallBetween(START + 500, START + 1000),
    );
    // One request per lane was held for ~500 ms; everything else took 2 ms.
    expect(slowerThan(3)).toBe(10);
    expect(slowerThan(400)).toBe(10);
    expect(p(90)).toBe(2);
    // 10 lanes x 2 ms round trips over the 1 s the server answered (one of them the held one).
    expect(data.total).toBe(10 * (1000 / 2));
  });

  it('excludes the warmup from the results', async () => {
    const { outcome, data, transport } = await run({
      rate: 200,
      warmupMs: 500,
      durationMs: 500,
    });
    expect(transport.sends).toHaveLength(200);
    expect(data.total).toBe(100);
    expect(outcome.measureStart).toBe(START + 500);
    expect(outcome.durationMs).toBe(500);
  });

  it('stops after exactly the requested count', async () => {
    const { outcome, data, transport } = await run({ lanes: 4, count: 200 });
    expect(data.total).toBe(200);
    expect(transport.sends).toHaveLength(200);
    // 4 lanes, 2 ms per round trip: the 200th answer arrives after 50 rounds.
    expect(outcome.durationMs).toBe(100);
  });

  it('stops at once when aborted and reports what completed until then', async () => {
    const abort = new AbortController();
    const { outcome, data } = await run(
      { lanes: 2, rate: 100, durationMs: 10_000, signal: abort.signal },
      undefined,
      (_t, time) => time.setTimeout(() => abort.abort(), 300),
    );
    expect(outcome.aborted).toBe(true);
    // Requests are due every 10 ms and answered 1 ms after their slot: 30 answered by 300 ms.
    expect(data.total).toBe(30);
    expect(outcome.durationMs).toBe(300);
  });

  it('does not wait forever for a server that never answers', async () => {
    const { outcome, data, transport, time } = await run(
      { lanes: 1, rate: 10, durationMs: 500, drainMs: 1000 },
      () => ({ latencyMs: 0, hang: true }),
    );
    expect(transport.sends).toHaveLength(1);
    expect(data.total).toBe(0);
    expect(outcome.durationMs).toBe(500);
    expect(time.now()).toBe(START + 500 + 1000);
  });

  it('reports progress at its interval with the requests completed so far', async () => {
    const seen: number[] = [];
    await run({
      lanes: 2,
      rate: 100,
      durationMs: 1000,
      progressEveryMs: 250,
      onProgress: p => seen.push(p.completed),
    });
    expect(seen.slice(0, 3)).toEqual([25, 50, 75]);
  });

  it('reports its own lateness as send lag, not as server latency', async () => {
    // At 0.495 s the generator's event loop is blocked for 45 ms (a GC pause, a busy machine).
    const { data, slowerThan } = await run(
      { lanes: 10, rate: 100, durationMs: 1000 },
      undefined,
      (_t, time) => time.setTimeout(() => time.block(45), 495),
    );
    expect(data.total).toBe(100);
    const lagMs = data.lagHistogram.maxValue / 1000;
    expect(lagMs).toBeGreaterThanOrEqual(40);
    // The lanes were idle when their sends came due, so the wait was ours, not the server's.
    expect(slowerThan(3)).toBe(0);
  });
});
