import { runLoad } from '../run';
import { decodeHistogram } from '../stats/histogram';
import { splitShares, normalizeOptions } from '../options';
import { startHttpServer, type TestServer } from '../__testUtils__/servers';
import { countAbove } from '../__testUtils__/histogramCounts';

jest.setTimeout(60_000);

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
      // Half the requests took at least 20 ms (the server alternates per request), in both
      // runs: the merged histogram kept the slow half.
      expect(
        countAbove(decodeHistogram(r.histogram.data), 19),
      ).toBeGreaterThanOrEqual(150);
      expect(r.latencyMs.p90).toBeGreaterThanOrEqual(19);
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
      // a count, so a generator starved of CPU still sends them all
      count: 300,
    });
    // Every scheduled request is sent once, by one of the two threads (the shared schedule's
    // spacing is checked on virtual time in engine.test.ts).
    expect(r.requests.total).toBe(300);
    expect(server.arrivals).toHaveLength(300);
    expect(r.config).toMatchObject({
      threads: 2,
      requestedRps: 300,
      mode: 'rate',
    });
    expect(r.sendLagMs).toBeDefined();
  });
});
