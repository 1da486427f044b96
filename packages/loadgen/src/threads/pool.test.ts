import { runLoad } from '../run';
import { decodeHistogram } from '../stats/histogram';
import { splitShares, normalizeOptions } from '../options';
import { startHttpServer, type TestServer } from '../__testUtils__/servers';

jest.setTimeout(30_000);

let server: TestServer;
beforeAll(async () => {
  server = await startHttpServer();
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  server.arrivals.length = 0;
});

describe('worker threads', () => {
  it('splits connections, lanes and counts evenly', () => {
    const shares = splitShares(
      normalizeOptions({
        targets: [{ url: 'http://x/' }],
        connections: 5,
        pipelining: 2,
        threads: 2,
        count: 101,
      }),
    );
    expect(shares).toEqual([
      { index: 0, connections: 3, laneOffset: 0, totalLanes: 10, count: 61 },
      { index: 1, connections: 2, laneOffset: 6, totalLanes: 10, count: 40 },
    ]);
  });

  it('gives the same totals as one thread, with histograms added exactly', async () => {
    const url = `${server.url}/alternate/20`;
    const one = await runLoad({
      targets: [{ url }],
      connections: 4,
      count: 300,
    });
    const two = await runLoad({
      targets: [{ url }],
      connections: 4,
      count: 300,
      threads: 2,
    });
    for (const r of [one, two]) {
      expect(r.requests.total).toBe(300);
      expect(r.statusCodes).toEqual({ '200': 300 });
      expect(decodeHistogram(r.histogram.data).totalCount).toBe(300);
      expect(r.timeSeries.reduce((s, x) => s + x.requests, 0)).toBe(300);
      // Half the requests took 20 ms (the server alternates per request).
      expect(r.latencyMs.min).toBeLessThan(10);
      expect(r.latencyMs.p90).toBeGreaterThanOrEqual(20);
      expect(r.latencyMs.mean).toBeGreaterThan(8);
    }
    expect(two.config).toMatchObject({
      threads: 2,
      connections: 4,
      requestedCount: 300,
    });
    expect(server.arrivals).toHaveLength(600);
  });

  it('shares a constant rate between threads', async () => {
    const r = await runLoad({
      targets: [{ url: `${server.url}/` }],
      connections: 4,
      threads: 2,
      rate: 300,
      durationMs: 1000,
    });
    expect(r.requests.total).toBe(300);
    // the measured span can end a few µs past 1 s on a busy machine
    expect(r.requests.perSecond).toBeCloseTo(300, 0);
    expect(r.config).toMatchObject({
      threads: 2,
      requestedRps: 300,
      mode: 'rate',
    });
    expect(r.sendLagMs).toBeDefined();
  });
});
