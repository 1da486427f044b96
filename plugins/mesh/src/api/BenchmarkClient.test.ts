/**
 * @jest-environment node
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BenchmarkRunEvent } from '@meshstage/plugin-mesh-common';
import { MeshClient } from './MeshClient';

// A real HTTP server standing in for the benchmark routes: URLs, methods, bodies, the event
// stream, downloads and errors go over the wire.
describe('BenchmarkClient', () => {
  let server: http.Server;
  let baseUrl: string;
  const requests: {
    method: string;
    url: string;
    body?: unknown;
    auth?: string;
  }[] = [];
  let releaseStream: (() => void) | undefined;

  const run = { id: 'r1', state: 'queued', profile: { name: 'echo' } };

  beforeAll(async () => {
    server = http.createServer(async (req, res) => {
      let text = '';
      for await (const chunk of req) text += chunk;
      requests.push({
        method: req.method!,
        url: req.url!,
        auth: req.headers.authorization,
        ...(text ? { body: JSON.parse(text) } : {}),
      });
      const url = req.url!;
      const json = (status: number, body: unknown) => {
        res.statusCode = status;
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify(body));
      };
      if (
        url.startsWith('/api/mesh/benchmark/profiles') &&
        req.method === 'GET'
      ) {
        json(200, { items: [{ id: 'p1', name: 'echo' }] });
      } else if (
        url === '/api/mesh/benchmark/profiles' &&
        req.method === 'POST'
      ) {
        json(400, {
          error: {
            name: 'InputError',
            message:
              "Invalid body field 'endpoints': Array must contain at least 1 element(s)",
          },
          request: { method: 'POST', url },
          response: { statusCode: 400 },
        });
      } else if (
        url === '/api/mesh/benchmark/profiles/p%201' &&
        req.method === 'PUT'
      ) {
        json(200, { id: 'p 1', ...(JSON.parse(text) as object) });
      } else if (
        url === '/api/mesh/benchmark/profiles/p1' &&
        req.method === 'DELETE'
      ) {
        res.statusCode = 204;
        res.end();
      } else if (url.startsWith('/api/mesh/benchmark/runs?')) {
        json(200, { items: [run] });
      } else if (url === '/api/mesh/benchmark/runs' && req.method === 'POST') {
        json(202, run);
      } else if (url === '/api/mesh/benchmark/runs/r1/cancel') {
        json(200, { ...run, state: 'cancelled' });
      } else if (url === '/api/mesh/benchmark/runs/r1/events') {
        res.setHeader('content-type', 'text/event-stream');
        res.write(
          `event: state\ndata: ${JSON.stringify({
            ...run,
            state: 'running',
          })}\n\n`,
        );
        res.write(': ping\n\n');
        res.write(
          `event: progress\ndata: ${JSON.stringify({
            second: 0,
            requests: 10,
          })}\n\n`,
        );
        res.write('event: unknown\ndata: {}\n\n');
        res.write(
          `event: result\ndata: ${JSON.stringify({ actualRps: 10 })}\n\n`,
        );
        res.end(
          `event: state\ndata: ${JSON.stringify({
            ...run,
            state: 'succeeded',
          })}\n\n`,
        );
      } else if (url === '/api/mesh/benchmark/runs/r2/events') {
        // Stays open until the test releases it.
        res.setHeader('content-type', 'text/event-stream');
        res.write(
          `event: state\ndata: ${JSON.stringify({
            ...run,
            id: 'r2',
            state: 'running',
          })}\n\n`,
        );
        releaseStream = () => res.end();
      } else if (url === '/api/mesh/benchmark/results/r1') {
        json(200, { runId: 'r1', run });
      } else if (url === '/api/mesh/benchmark/results/r1/export?format=smp') {
        res.setHeader(
          'content-disposition',
          'attachment; filename="benchmark-r1.smp.json"',
        );
        json(200, { labels: { mesh: 'istio' } });
      } else if (url.startsWith('/api/mesh/benchmark/compare')) {
        json(200, { baseline: 'r1', runs: [], metrics: [], caveats: [] });
      } else {
        json(404, { error: { name: 'NotFoundError', message: `no ${url}` } });
      }
    });
    await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
    baseUrl = `http://127.0.0.1:${
      (server.address() as AddressInfo).port
    }/api/mesh`;
  });
  afterAll(() => {
    server.closeAllConnections();
    return new Promise(r => server.close(r));
  });

  const client = () =>
    new MeshClient({
      discoveryApi: { getBaseUrl: async () => baseUrl },
      fetchApi: {
        fetch: (input: any, init?: any) =>
          fetch(input, {
            ...init,
            headers: { ...init?.headers, authorization: 'Bearer user-token' },
          }),
      },
    });

  it('lists profiles, narrowed to an entity', async () => {
    await expect(
      client().listBenchmarkProfiles({ entityRef: 'component:default/echo' }),
    ).resolves.toEqual([{ id: 'p1', name: 'echo' }]);
    expect(requests.at(-1)).toMatchObject({
      method: 'GET',
      url: '/api/mesh/benchmark/profiles?entityRef=component%3Adefault%2Fecho',
      auth: 'Bearer user-token',
    });
  });

  it("surfaces the backend's 400 with its message", async () => {
    await expect(
      client().createBenchmarkProfile({ name: 'x', endpoints: [] }),
    ).rejects.toMatchObject({
      statusCode: 400,
      body: { error: { message: expect.stringContaining("'endpoints'") } },
    });
    expect(requests.at(-1)).toMatchObject({
      method: 'POST',
      body: { name: 'x', endpoints: [] },
    });
  });

  it('updates and deletes profiles by encoded id', async () => {
    await expect(
      client().updateBenchmarkProfile('p 1', {
        name: 'y',
        endpoints: [{ url: 'http://echo/' }],
      }),
    ).resolves.toMatchObject({ id: 'p 1', name: 'y' });
    await expect(
      client().deleteBenchmarkProfile('p1'),
    ).resolves.toBeUndefined();
    expect(requests.at(-1)).toMatchObject({ method: 'DELETE' });
  });

  it('lists, starts and cancels runs', async () => {
    await client().listBenchmarkRuns({ profileId: 'p1', limit: 20 });
    expect(requests.at(-1)?.url).toBe(
      '/api/mesh/benchmark/runs?profileId=p1&limit=20',
    );
    await expect(
      client().startBenchmarkRun({ profileId: 'p1', mesh: 'istio' }),
    ).resolves.toMatchObject({ id: 'r1' });
    expect(requests.at(-1)).toMatchObject({
      method: 'POST',
      body: { profileId: 'p1', mesh: 'istio' },
    });
    await expect(client().cancelBenchmarkRun('r1')).resolves.toMatchObject({
      state: 'cancelled',
    });
  });

  it('streams run events in order until the server closes', async () => {
    const events: BenchmarkRunEvent[] = [];
    await client().streamBenchmarkRunEvents('r1', e => events.push(e));
    expect(events.map(e => e.type)).toEqual([
      'state',
      'progress',
      'result',
      'state',
    ]);
    expect(events[1]).toEqual({
      type: 'progress',
      progress: { second: 0, requests: 10 },
    });
    expect(events[3]).toMatchObject({ run: { state: 'succeeded' } });
  });

  it('stops streaming when aborted', async () => {
    const controller = new AbortController();
    const events: BenchmarkRunEvent[] = [];
    const done = client().streamBenchmarkRunEvents(
      'r2',
      e => {
        events.push(e);
        controller.abort();
      },
      controller.signal,
    );
    await expect(done).resolves.toBeUndefined();
    expect(events).toHaveLength(1);
    releaseStream?.();
  });

  it('downloads an export with the suggested file name', async () => {
    const exported = await client().exportBenchmarkResult('r1', 'smp');
    expect(exported.filename).toBe('benchmark-r1.smp.json');
    expect(JSON.parse(exported.text)).toEqual({ labels: { mesh: 'istio' } });
    expect(await exported.blob.text()).toBe(exported.text);
  });

  it('gets results and compares runs', async () => {
    await expect(client().getBenchmarkResult('r1')).resolves.toMatchObject({
      runId: 'r1',
    });
    await client().compareBenchmarkRuns(['r1', 'r2'], { relativeFloor: 0.1 });
    expect(requests.at(-1)?.url).toBe(
      '/api/mesh/benchmark/compare?runs=r1%2Cr2&relativeFloor=0.1',
    );
  });
});
