import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { runAction } from '../__testUtils__/actionContext';
import {
  eventually,
  startMeshTestBackend,
  type MeshTestBackend,
} from '../__testUtils__/meshTestBackend';

// mesh:benchmark against a real mesh backend over HTTP, its runs sending real requests from the
// backend process to a real local server (`/` answers 200, `/fail` 500). Asserts counts and
// states only, never latencies' values.
jest.setTimeout(180_000);

describe('mesh:benchmark', () => {
  let t: MeshTestBackend;
  let target: http.Server;
  let targetUrl: string;
  let served = 0;
  let profileId: string;

  const run = (input: Record<string, unknown>, isDryRun = false) =>
    runAction(t.actions.get('mesh:benchmark'), input, { isDryRun });
  const runCount = async () =>
    (await t.meshApi('/benchmark/runs')).items.length;

  beforeAll(async () => {
    target = http.createServer((req, res) => {
      served++;
      res.statusCode = req.url === '/fail' ? 500 : 200;
      res.end('ok');
    });
    await new Promise<void>(resolve => target.listen(0, '127.0.0.1', resolve));
    targetUrl = `http://127.0.0.1:${(target.address() as AddressInfo).port}`;
    t = await startMeshTestBackend();
    profileId = (
      await t.meshApi('/benchmark/profiles', {
        body: {
          name: 'smoke',
          endpoints: [{ url: `${targetUrl}/` }],
          connections: 2,
          requestCount: 200,
        },
      })
    ).id;
  });
  afterAll(async () => {
    await t?.stop();
    target?.closeAllConnections();
    await new Promise(resolve => target?.close(resolve));
  });

  it('refuses input without exactly one of profile and settings, and names unknown profiles', async () => {
    await expect(run({ maxP99Ms: 10 })).rejects.toThrow(
      "Give either 'profile' (a stored profile's id or name) or inline 'settings'",
    );
    await expect(
      run({ profile: 'smoke', settings: { endpoints: [{ url: targetUrl }] } }),
    ).rejects.toThrow("Give either 'profile'");
    await expect(run({ profile: 'nope' })).rejects.toThrow(
      "Invalid input 'profile': no benchmark profile has the id or name 'nope' (there are: 'smoke')",
    );
    await expect(
      run({ settings: { endpoints: [{ url: 'not a url' }] } }),
    ).rejects.toThrow(
      "Invalid input 'settings.endpoints.0.url': 'not a url' is not an http:// or https:// URL",
    );
    expect(await runCount()).toBe(0);
  });

  it('dry run: checks the settings and runs nothing', async () => {
    const servedBefore = served;
    const { outputs, logged } = await run(
      { profile: 'smoke', maxP99Ms: 500, maxErrorRate: 0.01 },
      true,
    );
    expect(outputs()).toEqual({ profileId, state: 'dry-run' });
    expect(logged()).toContain(
      `Benchmark 'smoke': ${targetUrl}/, 2 connection(s), max rate, 200 requests, from the backend process; limits: p99 ≤ 500 ms, error rate ≤ 1%`,
    );
    expect(await runCount()).toBe(0);
    expect(served).toBe(servedBefore);
  });

  let firstRunId: string;

  it('runs a stored profile by name as the user who runs the template and outputs its figures', async () => {
    const { outputs } = await run({
      profile: 'smoke',
      mesh: 'istio',
      cluster: 'dev',
      maxErrorRate: 0,
    });
    const out = outputs();
    expect(out).toMatchObject({
      profileId,
      state: 'succeeded',
      requests: 200,
      errorRate: 0,
      simulatedProxies: false,
      latencyMs: {
        p50: expect.any(Number),
        p90: expect.any(Number),
        p99: expect.any(Number),
        p999: expect.any(Number),
        max: expect.any(Number),
      },
    });
    expect(out.latencyMs.p99).toBeLessThanOrEqual(out.latencyMs.max);
    firstRunId = out.runId;
    const stored = await t.meshApi(`/benchmark/runs/${firstRunId}`);
    expect(stored).toMatchObject({
      profileId,
      createdBy: 'user:default/ann',
      mesh: 'istio',
      cluster: 'dev',
    });
    expect(served).toBeGreaterThanOrEqual(200);
  });

  it('compares with an earlier run when asked', async () => {
    const { outputs } = await run({
      profile: profileId,
      compareWith: firstRunId,
    });
    const text: string = outputs().comparison;
    expect(text.split('\n').slice(0, 2)).toEqual([
      '| Metric | Before | After | Difference | Verdict |',
      '| --- | --- | --- | --- | --- |',
    ]);
    expect(text).toMatch(
      /^\| Throughput \| [\d.]+ req\/s \| [\d.]+ req\/s \| /m,
    );
    expect(text).toMatch(/^\| Error rate \| 0% \| 0% \| /m);
    expect(text).toMatch(/^\| p99 \| /m);
  });

  it('fails the step on a broken error-rate threshold, naming it', async () => {
    await expect(
      run({
        settings: {
          name: 'failing endpoint',
          endpoints: [{ url: `${targetUrl}/fail` }],
          connections: 1,
          requestCount: 50,
        },
        maxErrorRate: 0.01,
      }),
    ).rejects.toThrow(
      /^Benchmark run [0-9a-f-]+ broke a threshold: error rate 100% \(50 of 50 requests failed\) is above the limit of 1%$/,
    );
  });

  it('cancels a run that outlives its timeout, so no load goes on with nobody waiting', async () => {
    const failure = await run({
      settings: {
        name: 'too long',
        endpoints: [{ url: `${targetUrl}/` }],
        connections: 1,
        rate: 10,
        duration: '60s',
      },
      timeoutSeconds: 1,
    }).catch(e => e);
    expect(failure.message).toMatch(
      /^Benchmark run [0-9a-f-]+ did not finish within 1 s; it was cancelled$/,
    );
    const runId = failure.action.outputs().runId;
    const cancelled = await eventually(async () => {
      const r = await t.meshApi(`/benchmark/runs/${runId}`);
      return r.state === 'cancelled' ? r : undefined;
    });
    expect(cancelled.profile.name).toBe('too long');
  });

  it("surfaces the backend's 400 for a target outside its allowed hosts", async () => {
    const before = await runCount();
    await expect(
      run({ settings: { endpoints: [{ url: 'http://example.com/' }] } }),
    ).rejects.toThrow(
      /'profile\.endpoints\.0\.url'.*\[mesh backend: POST \/benchmark\/runs answered 400 InputError\]$/,
    );
    expect(await runCount()).toBe(before);
  });
});
