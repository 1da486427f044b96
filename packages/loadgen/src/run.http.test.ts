import http from 'node:http';
import { runLoad } from './run';
import { decodeHistogram } from './stats/histogram';
import {
  closedPort,
  startHttpServer,
  type TestServer,
} from './__testUtils__/servers';
import { countAbove } from './__testUtils__/histogramCounts';

jest.setTimeout(60_000);

let server: TestServer;
beforeEach(async () => {
  server = await startHttpServer();
});
afterEach(async () => {
  await server.close();
});

describe('runLoad over HTTP/1.1', () => {
  it('sends exactly the requested count and counts statuses and bytes', async () => {
    const r = await runLoad({
      targets: [{ url: `${server.url}/` }],
      connections: 4,
      count: 200,
    });
    expect(r.requests.total).toBe(200);
    expect(r.requests.ok).toBe(200);
    expect(server.arrivals).toHaveLength(200);
    expect(r.statusCodes).toEqual({ '200': 200 });
    expect(r.errors.total).toBe(0);
    expect(decodeHistogram(r.histogram.data).totalCount).toBe(200);
    // "ok" body plus a header block of some tens of bytes.
    expect(r.bytes.received).toBeGreaterThan(200 * 40);
    expect(r.config).toMatchObject({
      mode: 'max',
      connections: 4,
      requestedCount: 200,
      protocol: 'http/1.1',
    });
  });

  it('reports the known server delays in the tail', async () => {
    // Every second request is delayed 50 ms: at least half the latencies are that long (a busy
    // machine can only add to a latency, so this holds however loaded it is).
    const r = await runLoad({
      targets: [{ url: `${server.url}/alternate/50` }],
      connections: 10,
      count: 200,
    });
    expect(r.requests.total).toBe(200);
    const h = decodeHistogram(r.histogram.data);
    expect(h.totalCount).toBe(200);
    expect(countAbove(h, 49)).toBeGreaterThanOrEqual(100);
    expect(r.latencyMs.p90).toBeGreaterThanOrEqual(49);
    expect(r.latencyMs.p75).toBeGreaterThanOrEqual(r.latencyMs.p50);
    expect(r.latencyMs.max).toBeGreaterThanOrEqual(r.latencyMs.p99);
  });

  it('sends every request of a constant-rate run and buckets them per second', async () => {
    // 600 requests at 400/s. A count, not a duration: a generator starved of CPU sends late but
    // sends them all, whereas a duration run ends on time with what it managed (the schedule
    // itself is checked on virtual time in engine.test.ts; the achieved rate by bench:loadgen).
    const r = await runLoad({
      targets: [{ url: `${server.url}/` }],
      connections: 10,
      rate: 400,
      count: 600,
    });
    expect(r.requests.total).toBe(600);
    expect(server.arrivals).toHaveLength(600);
    expect(r.config).toMatchObject({ mode: 'rate', requestedRps: 400 });
    expect(r.sendLagMs).toBeDefined();
    expect(r.timeSeries.reduce((sum, s) => sum + s.requests, 0)).toBe(600);
    expect(r.timeSeries.length).toBeGreaterThanOrEqual(2);
  });

  it('shows a server stall in the tail at constant rate', async () => {
    // 400 requests at 200 req/s (2 s); the server answers nothing for 500 ms from t=0.8 s. About 100 requests
    // were due during the pause and waited for its end from their intended send time; even on a
    // machine that sends late, a good share of them wait over 100 ms. (Exact figures: the
    // virtual-time test in engine.test.ts; the closed-loop contrast too.)
    const rateRun = runLoad({
      targets: [{ url: `${server.url}/` }],
      connections: 10,
      rate: 200,
      count: 400,
    });
    server.pauseAt(800, 500);
    const open = await rateRun;
    expect(open.requests.total).toBe(400);
    expect(
      countAbove(decodeHistogram(open.histogram.data), 100),
    ).toBeGreaterThanOrEqual(20);
    expect(open.latencyMs.max).toBeGreaterThan(300);
  });

  it('counts non-2xx statuses as failures and splits traffic by weight', async () => {
    const r = await runLoad({
      targets: [
        { url: `${server.url}/`, weight: 3 },
        { url: `${server.url}/status/503`, weight: 1 },
      ],
      connections: 2,
      count: 100,
    });
    expect(r.statusCodes).toEqual({ '200': 75, '503': 25 });
    expect(r.targetCounts).toEqual([75, 25]);
    expect(r.requests.failed).toBe(25);
    expect(r.requests.errorRate).toBeCloseTo(0.25);
  });

  it('classifies refused connections', async () => {
    const port = await closedPort();
    const r = await runLoad({
      targets: [{ url: `http://127.0.0.1:${port}/` }],
      connections: 2,
      count: 20,
    });
    expect(r.requests.total).toBe(20);
    expect(r.errors).toMatchObject({ refused: 20, total: 20 });
    expect(r.statusCodes).toEqual({});
    expect(r.requests.errorRate).toBe(1);
  });

  it('classifies timeouts and resets', async () => {
    const t = await runLoad({
      targets: [{ url: `${server.url}/hang` }],
      connections: 2,
      count: 4,
      timeoutMs: 150,
    });
    expect(t.errors).toMatchObject({ timeout: 4, total: 4 });
    // two rounds of 150 ms timeouts on 2 connections
    expect(t.durationMs).toBeGreaterThanOrEqual(290);

    const r = await runLoad({
      targets: [{ url: `${server.url}/reset` }],
      connections: 2,
      count: 6,
    });
    expect(r.errors).toMatchObject({ reset: 6, total: 6 });
  });

  it('excludes the warmup from the results', async () => {
    const r = await runLoad({
      targets: [{ url: `${server.url}/` }],
      connections: 5,
      rate: 200,
      warmupMs: 500,
      // a count: every request is sent however late a starved generator gets to it
      count: 100,
    });
    // 100 warmup requests (0.5 s at 200/s) reached the server but are not in the result.
    expect(r.requests.total).toBe(100);
    expect(server.arrivals.length).toBe(200);
    // the last measured request was due 495 ms into the measured part (timers may fire 1 ms early)
    expect(r.durationMs).toBeGreaterThanOrEqual(494);
  });

  it('sends method, headers and body', async () => {
    const seen: { method?: string; header?: string; body: string }[] = [];
    const srv = http.createServer((req, res) => {
      let body = '';
      req.on('data', c => (body += c));
      req.on('end', () => {
        seen.push({
          method: req.method,
          header: req.headers['x-test'] as string,
          body,
        });
        res.end();
      });
    });
    await new Promise<void>(ok => srv.listen(0, '127.0.0.1', ok));
    const port = (srv.address() as { port: number }).port;
    const r = await runLoad({
      targets: [
        {
          url: `http://127.0.0.1:${port}/x`,
          method: 'put',
          headers: { 'x-test': 'yes' },
          body: 'hello',
        },
      ],
      connections: 1,
      count: 3,
    });
    await new Promise(ok => srv.close(ok));
    expect(r.requests.ok).toBe(3);
    expect(r.bytes.sent).toBe(15);
    expect(seen).toEqual(
      Array(3).fill({ method: 'PUT', header: 'yes', body: 'hello' }),
    );
  });

  it('pipelines requests on one connection', async () => {
    const r = await runLoad({
      targets: [{ url: `${server.url}/` }],
      connections: 1,
      pipelining: 8,
      count: 400,
    });
    expect(r.requests.ok).toBe(400);
    expect(r.config.pipelining).toBe(8);
  });

  it('stops when aborted and reports what completed', async () => {
    // 100 req/s for 10 s, aborted after the first answers: the run ends with what it has (the
    // exact cut-off is checked on virtual time in engine.test.ts).
    const abort = new AbortController();
    const r = await runLoad({
      targets: [{ url: `${server.url}/` }],
      connections: 2,
      rate: 100,
      durationMs: 10_000,
      signal: abort.signal,
      onProgress: p => {
        if (p.completed >= 5) abort.abort();
      },
    });
    expect(r.requests.total).toBeGreaterThanOrEqual(5);
    expect(r.requests.total).toBeLessThan(1000);
    expect(server.arrivals.length).toBeLessThan(1000);
  });
});
