import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  mockServices,
  startTestBackend,
  type TestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { decodeHistogram } from '@meshstage/loadgen';
import request from 'supertest';
import { meshPlugin } from '../plugin';
import { compareResults } from './compare';

jest.setTimeout(120_000);

// Real HTTP all the way: a node server as the target, the real loadgen in the backend, the
// benchmark API through supertest. Runs are short, with 2 connections (the machine is shared).
// Assertions are on counts, order and state; real rates and latencies only as lower bounds the
// target guarantees (it delays /slow by 5 ms), never as upper bounds a busy machine can cross.

const entities = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'echo',
      namespace: 'default',
      annotations: {
        'backstage.io/kubernetes-id': 'echo',
        'meshstage.io/mesh': 'istio',
      },
    },
    spec: { type: 'service', owner: 'guests', lifecycle: 'production' },
  },
];

function config() {
  return mockServices.rootConfig.factory({
    data: {
      kubernetes: { clusterLocatorMethods: [{ type: 'config', clusters: [] }] },
      mesh: {
        benchmark: {
          maxRate: 1000,
          maxDuration: '10m',
          maxConnections: 8,
          maxThreads: 2,
        },
      },
    },
  });
}

/** A target: `/` answers at once, `/slow` after 5 ms; counts what it served. */
async function startTarget() {
  let served = 0;
  const server = http.createServer((req, res) => {
    served++;
    const reply = () => res.end('ok');
    if (req.url?.startsWith('/slow')) setTimeout(reply, 5);
    else reply();
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    served: () => served,
    close: async () => {
      server.closeAllConnections();
      await new Promise(resolve => server.close(resolve));
    },
  };
}

/** SSE text into `{event, data}` records. */
function parseEvents(text: string): { event: string; data: any }[] {
  return text
    .split('\n\n')
    .filter(block => block.trim())
    .map(block => {
      const event = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
      const data = JSON.parse(/^data: (.*)$/m.exec(block)?.[1] ?? 'null');
      return { event, data };
    });
}

describe('benchmark API', () => {
  let backend: TestBackend;
  let target: Awaited<ReturnType<typeof startTarget>>;

  beforeAll(async () => {
    target = await startTarget();
    backend = await startTestBackend({
      features: [
        meshPlugin,
        config(),
        catalogServiceMock.factory({ entities }),
      ],
    });
  });

  afterAll(async () => {
    await backend?.stop();
    await target?.close();
  });

  const api = () => request(backend.server);
  const profile = (over: Record<string, unknown> = {}) => ({
    name: 'echo 1s',
    // The 400 tables are built before the target starts; they never send load.
    endpoints: [{ url: `${target?.url ?? 'http://127.0.0.1:9'}/` }],
    connections: 2,
    duration: '1s',
    ...over,
  });

  async function waitForFinal(id: string) {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const res = await api().get(`/api/mesh/benchmark/runs/${id}`);
      expect(res.status).toBe(200);
      if (!['queued', 'running'].includes(res.body.state)) return res.body;
      if (Date.now() > deadline)
        throw new Error(`run ${id} still ${res.body.state}`);
      await new Promise(r => setTimeout(r, 100));
    }
  }

  async function waitForState(id: string, state: string) {
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      const res = await api().get(`/api/mesh/benchmark/runs/${id}`);
      if (res.body.state === state) return;
      await new Promise(r => setTimeout(r, 50));
    }
    throw new Error(`run ${id} never ${state}`);
  }

  describe('profiles', () => {
    it('creates, lists, filters, reads, replaces and deletes profiles', async () => {
      const created = await api()
        .post('/api/mesh/benchmark/profiles')
        .send(
          profile({ entityRef: 'Component:echo', schedule: '*/30 * * * *' }),
        );
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        name: 'echo 1s',
        entityRef: 'component:default/echo',
        protocol: 'http1',
        rate: 0,
        loadGenerator: 'meshstage',
        schedule: '*/30 * * * *',
      });
      const id = created.body.id;
      const global = await api()
        .post('/api/mesh/benchmark/profiles')
        .send(profile({ name: 'global' }));
      expect(global.status).toBe(201);

      const all = await api().get('/api/mesh/benchmark/profiles');
      expect(all.body.items.map((p: any) => p.id)).toEqual(
        expect.arrayContaining([id, global.body.id]),
      );
      const mine = await api().get(
        '/api/mesh/benchmark/profiles?entityRef=component:default/echo',
      );
      expect(mine.body.items.map((p: any) => p.id)).toEqual([id]);

      const put = await api()
        .put(`/api/mesh/benchmark/profiles/${id}`)
        .send(profile({ name: 'renamed', rate: 100 }));
      expect(put.status).toBe(200);
      expect(put.body).toMatchObject({ id, name: 'renamed', rate: 100 });
      expect(put.body.entityRef).toBeUndefined();
      expect(
        (await api().get(`/api/mesh/benchmark/profiles/${id}`)).body.name,
      ).toBe('renamed');

      expect(
        (await api().delete(`/api/mesh/benchmark/profiles/${id}`)).status,
      ).toBe(204);
      expect(
        (await api().get(`/api/mesh/benchmark/profiles/${id}`)).status,
      ).toBe(404);
      expect(
        (await api().delete(`/api/mesh/benchmark/profiles/${id}`)).status,
      ).toBe(404);
      expect(
        (await api().put(`/api/mesh/benchmark/profiles/${id}`).send(profile()))
          .status,
      ).toBe(404);
    });

    it.each([
      ['a missing name', profile({ name: undefined }), 'name'],
      ['a bad schedule', profile({ schedule: 'every minute' }), 'schedule'],
      ['a bad duration', profile({ duration: 'soon' }), 'duration'],
      ['duration and count', profile({ requestCount: 10 }), 'requestCount'],
      ['no endpoints', profile({ endpoints: [] }), 'endpoints'],
      ['an unknown field', profile({ colour: 'red' }), '(root)'],
      ['an unknown protocol', profile({ protocol: 'http3' }), 'protocol'],
      [
        'a host outside the allow-list',
        profile({ endpoints: [{ url: 'http://example.com/' }] }),
        'endpoints.0.url',
      ],
      [
        'a CR LF in a header value',
        profile({
          endpoints: [
            {
              url: 'http://127.0.0.1:9/',
              headers: { 'X-Token': 'a\r\nX-Admin: yes' },
            },
          ],
        }),
        'endpoints.0.headers.X-Token',
      ],
      [
        'a header name that is not a token',
        profile({
          endpoints: [
            { url: 'http://127.0.0.1:9/', headers: { 'X Token': 'a' } },
          ],
        }),
        'endpoints.0.headers.X Token',
      ],
      ['too many connections', profile({ connections: 9 }), 'connections'],
      ['too high a rate', profile({ rate: 1001 }), 'rate'],
      ['too long a duration', profile({ duration: '11m' }), 'duration'],
      ['too many threads', profile({ threads: 3 }), 'threads'],
      [
        'an entity not in the catalog',
        profile({ entityRef: 'component:default/nope' }),
        'entityRef',
      ],
    ])('rejects %s with a 400 naming the field', async (_what, body, field) => {
      const stored = async () =>
        (await api().get('/api/mesh/benchmark/profiles')).body.items.length;
      const before = await stored();
      const res = await api().post('/api/mesh/benchmark/profiles').send(body);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain(`'${field}'`);
      expect(await stored()).toBe(before);
    });
  });

  describe('ids', () => {
    // Profile and run ids are UUIDs, as operation and scan ids are.
    const UNKNOWN = '00000000-0000-4000-8000-000000000000';
    const routes: Array<[string, (id: string) => request.Test, string]> = [
      [
        'GET /profiles/:id',
        id => api().get(`/api/mesh/benchmark/profiles/${id}`),
        'id',
      ],
      [
        'PUT /profiles/:id',
        id => api().put(`/api/mesh/benchmark/profiles/${id}`).send(profile()),
        'id',
      ],
      [
        'DELETE /profiles/:id',
        id => api().delete(`/api/mesh/benchmark/profiles/${id}`),
        'id',
      ],
      [
        'GET /runs/:id',
        id => api().get(`/api/mesh/benchmark/runs/${id}`),
        'id',
      ],
      [
        'POST /runs/:id/cancel',
        id => api().post(`/api/mesh/benchmark/runs/${id}/cancel`),
        'id',
      ],
      [
        'GET /runs/:id/events',
        id => api().get(`/api/mesh/benchmark/runs/${id}/events`),
        'id',
      ],
      [
        'GET /results/:runId',
        id => api().get(`/api/mesh/benchmark/results/${id}`),
        'runId',
      ],
      [
        'GET /results/:runId/export',
        id => api().get(`/api/mesh/benchmark/results/${id}/export?format=smp`),
        'runId',
      ],
    ];

    it.each(routes)(
      '%s answers a non-UUID id with a 400 naming the parameter, an unknown UUID with a 404',
      async (_route, send, param) => {
        for (const id of ['nope', '1', `${UNKNOWN}0`]) {
          const res = await send(id);
          expect(res.status).toBe(400);
          expect(res.body.error.message).toBe(
            `Invalid path parameter '${param}': Invalid uuid`,
          );
        }
        const unknown = await send(UNKNOWN);
        expect(unknown.status).toBe(404);
        expect(unknown.body.error.message).toContain(UNKNOWN);
      },
    );

    it('refuses a run of a profileId that is not a UUID, and names an unknown one', async () => {
      const runs = async () =>
        (await api().get('/api/mesh/benchmark/runs')).body.items.length;
      const before = await runs();
      const bad = await api()
        .post('/api/mesh/benchmark/runs')
        .send({ profileId: 'echo 1s' });
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toBe(
        "Invalid body field 'profileId': Invalid uuid",
      );
      const unknown = await api()
        .post('/api/mesh/benchmark/runs')
        .send({ profileId: UNKNOWN });
      expect(unknown.status).toBe(400);
      expect(unknown.body.error.message).toBe(
        `Invalid body field 'profileId': no benchmark profile ${UNKNOWN}`,
      );
      expect(await runs()).toBe(before);
    });

    it('takes only UUIDs in the profileId filter and the compared runs', async () => {
      const filter = await api().get('/api/mesh/benchmark/runs?profileId=p1');
      expect(filter.status).toBe(400);
      expect(filter.body.error.message).toBe(
        "Invalid query parameter 'profileId': Invalid uuid",
      );
      const none = await api().get(
        `/api/mesh/benchmark/runs?profileId=${UNKNOWN}`,
      );
      expect(none.status).toBe(200);
      expect(none.body.items).toEqual([]);

      const compare = await api().get(
        `/api/mesh/benchmark/compare?runs=${UNKNOWN},nope`,
      );
      expect(compare.status).toBe(400);
      expect(compare.body.error.message).toBe(
        "Invalid query parameter 'runs.1': Invalid uuid",
      );
      const unknown = await api().get(
        `/api/mesh/benchmark/compare?runs=${UNKNOWN},${UNKNOWN}`,
      );
      expect(unknown.status).toBe(400);
      expect(unknown.body.error.message).toBe(
        `Invalid query parameter 'runs.0': no benchmark run ${UNKNOWN}`,
      );
    });
  });

  describe('runs', () => {
    let firstRun: any;

    it("runs a stored profile and stores a result matching loadgen's summary", async () => {
      const created = await api()
        .post('/api/mesh/benchmark/profiles')
        .send(
          profile({
            name: 'echo 200',
            duration: undefined,
            requestCount: 200,
            entityRef: 'component:default/echo',
          }),
        );
      const servedBefore = target.served();
      const started = await api()
        .post('/api/mesh/benchmark/runs')
        .send({ profileId: created.body.id, meshVersion: '1.24.2' });
      expect(started.status).toBe(202);
      expect(started.body).toMatchObject({
        profileId: created.body.id,
        state: 'queued',
        trigger: 'manual',
        mesh: 'istio', // from the entity's meshstage.io/mesh
        meshVersion: '1.24.2',
        createdBy: 'user:default/mock',
      });

      firstRun = await waitForFinal(started.body.id);
      expect(firstRun.state).toBe('succeeded');
      expect(firstRun.startedAt).toBeDefined();
      expect(firstRun.finishedAt).toBeDefined();

      const full = await api().get(
        `/api/mesh/benchmark/results/${firstRun.id}`,
      );
      expect(full.status).toBe(200);
      const r = full.body.result;
      expect(r.requests.total).toBe(200);
      expect(target.served() - servedBefore).toBeGreaterThanOrEqual(200);
      expect(r.statusCodes).toEqual({ '200': 200 });
      expect(r.config).toMatchObject({
        connections: 2,
        requestedCount: 200,
      });
      expect(full.body.environment).toMatchObject({
        runner: 'in-process',
        nodeVersion: process.version,
        threads: 1,
      });
      // The summary is the stored histogram's: decoding it gives the same percentiles.
      const h = decodeHistogram(r.histogram.data);
      expect(h.totalCount).toBe(r.requests.total);
      for (const [key, p] of [
        ['p50', 50],
        ['p90', 90],
        ['p99', 99],
        ['p999', 99.9],
      ] as const) {
        expect(r.latencyMs[key]).toBe(
          Math.round(h.getValueAtPercentile(p)) / 1000,
        );
      }
      expect(firstRun.result.latencyMs).toEqual(r.latencyMs);
      expect(firstRun.result.actualRps).toBe(r.requests.perSecond);
    });

    it('runs a profile with the net engine against the same target', async () => {
      const started = await api()
        .post('/api/mesh/benchmark/runs')
        .send({
          profile: profile({
            name: 'net engine',
            engine: 'net',
            duration: undefined,
            requestCount: 100,
          }),
        });
      expect(started.status).toBe(202);
      const run = await waitForFinal(started.body.id);
      expect(run.state).toBe('succeeded');
      expect(run.result.requests.total).toBe(100);
      expect(run.result.requests.failed).toBe(0);

      const tls = await api()
        .post('/api/mesh/benchmark/profiles')
        .send(
          profile({
            engine: 'net',
            endpoints: [{ url: 'https://localhost/' }],
          }),
        );
      expect(tls.status).toBe(400);
      expect(tls.body.error.message).toMatch(
        /^Invalid body field 'endpoints\.0\.url': The net engine speaks plain http:\/\/ only/,
      );
      const h2 = await api()
        .post('/api/mesh/benchmark/profiles')
        .send(profile({ engine: 'net', protocol: 'http2' }));
      expect(h2.status).toBe(400);
      expect(h2.body.error.message).toBe(
        "Invalid body field 'engine': The net engine speaks HTTP/1.1 only, not http2",
      );
    });

    it('streams the events of a finished run and ends with its final state', async () => {
      const res = await api()
        .get(`/api/mesh/benchmark/runs/${firstRun.id}/events`)
        .buffer(true)
        .parse((response, cb) => {
          let text = '';
          response.on('data', (c: Buffer) => (text += c.toString()));
          response.on('end', () => cb(null, text));
        });
      expect(res.headers['content-type']).toContain('text/event-stream');
      const events = parseEvents(res.body);
      expect(events.map(e => e.event)).toEqual(['result', 'state']);
      expect(events[1].data.state).toBe('succeeded');
      expect(events[0].data.requests.total).toBe(
        firstRun.result.requests.total,
      );
    });

    it('honours Last-Event-ID: nothing after the final state (204), the rest to a client that missed it', async () => {
      const stream = (lastEventId?: string) => {
        const req = api().get(`/api/mesh/benchmark/runs/${firstRun.id}/events`);
        if (lastEventId) req.set('Last-Event-ID', lastEventId);
        return req.buffer(true).parse((response, cb) => {
          let text = '';
          response.on('data', (c: Buffer) => (text += c.toString()));
          response.on('end', () => cb(null, text));
        });
      };
      const first = await stream();
      expect(first.body).toMatch(/^id: state-succeeded$/m);
      const done = await stream('state-succeeded');
      expect(done.status).toBe(204);
      // A client that dropped while the run was going gets the result and the final state.
      const missed = await stream('progress-3');
      expect(parseEvents(missed.body).map(e => e.event)).toEqual([
        'result',
        'state',
      ]);
    });

    it('compares a second, slower run against the first with verdicts', async () => {
      const started = await api()
        .post('/api/mesh/benchmark/runs')
        .send({
          profile: profile({
            name: 'slow 2s',
            duration: '2s',
            threads: 2,
            endpoints: [{ url: `${target.url}/slow` }],
          }),
          mesh: 'linkerd',
        });
      expect(started.status).toBe(202);
      // Live progress: one sample per second until the final state.
      const stream = await api()
        .get(`/api/mesh/benchmark/runs/${started.body.id}/events`)
        .buffer(true)
        .parse((response, cb) => {
          let text = '';
          response.on('data', (c: Buffer) => (text += c.toString()));
          response.on('end', () => cb(null, text));
        });
      const events = parseEvents(stream.body);
      const progress = events.filter(e => e.event === 'progress');
      expect(progress.length).toBeGreaterThanOrEqual(1);
      // one sample per second, in order (how many requests fall into each is not asserted)
      expect(progress.map(e => e.data.second)).toEqual(
        progress.map((_, i) => i),
      );
      expect(progress[0].data).toMatchObject({ warmingUp: false });
      // latency so far, as a live chart shows it: at least the 5 ms the target waits
      for (const { data } of progress.filter(e => e.data.requests > 0)) {
        expect(data.latencyMs.p50).toBeGreaterThanOrEqual(4);
        expect(data.latencyMs.p99).toBeGreaterThanOrEqual(data.latencyMs.p50);
      }
      expect(events[events.length - 1]).toMatchObject({
        event: 'state',
        data: { state: 'succeeded' },
      });

      const second = await waitForFinal(started.body.id);
      // Two worker threads in the backend process, merged into one result.
      expect(second.result.environment.threads).toBe(2);
      const res = await api().get(
        `/api/mesh/benchmark/compare?runs=${firstRun.id},${second.id}`,
      );
      expect(res.status).toBe(200);
      expect(res.body.baseline).toBe(firstRun.id);
      expect(res.body.runs.map((r: any) => r.mesh)).toEqual([
        'istio',
        'linkerd',
      ]);
      expect(res.body.runs[1].environment).toMatchObject({
        runner: 'in-process',
        threads: 2,
      });
      // Both runs sent loopback load from the backend although labelled with a mesh.
      expect(res.body.caveats).toEqual([
        expect.stringContaining('loopback address'),
      ]);
      const row = (m: string) =>
        res.body.metrics.find((x: any) => x.metric === m);
      const p50 = row('p50');
      expect(p50.values[0].value).toBe(firstRun.result.latencyMs.p50);
      expect(p50.values[1].value).toBe(second.result.latencyMs.p50);
      // Every request to /slow waits 5 ms at the target: a lower bound by construction.
      expect(second.result.latencyMs.p50).toBeGreaterThanOrEqual(4);
      expect(p50.values[1].difference.absolute).toBeCloseTo(
        second.result.latencyMs.p50 - firstRun.result.latencyMs.p50,
        6,
      );
      // The rows are the comparison of the two stored results, baseline first. Which verdict
      // the real latencies get depends on the machine; compare.test.ts pins verdicts down.
      const results = await Promise.all(
        [firstRun.id, second.id].map(async runId => ({
          runId,
          result: (
            await api().get(`/api/mesh/benchmark/results/${runId}`)
          ).body.result,
        })),
      );
      expect(res.body.metrics).toEqual(
        JSON.parse(JSON.stringify(compareResults(results))),
      );
      // 200 baseline requests cannot tell a p99.99 apart: a count, not a timing.
      expect(row('p99.99').values[1].difference.verdict).toBe(
        'insufficient-data',
      );
    });

    it('rejects compare requests without two runs with results', async () => {
      const one = await api().get(
        `/api/mesh/benchmark/compare?runs=${firstRun.id}`,
      );
      expect(one.status).toBe(400);
      expect(one.body.error.message).toContain("'runs'");
      const unknown = await api().get(
        `/api/mesh/benchmark/compare?runs=${firstRun.id},nope`,
      );
      expect(unknown.status).toBe(400);
      expect(unknown.body.error.message).toContain("'runs.1'");
    });

    it('exports fortio, SMP and JSON', async () => {
      const fortio = await api().get(
        `/api/mesh/benchmark/results/${firstRun.id}/export?format=fortio`,
      );
      expect(fortio.status).toBe(200);
      expect(fortio.body).toMatchObject({
        RequestedQPS: 'max',
        RetCodes: { '200': firstRun.result.requests.total },
      });
      expect(fortio.body.ActualQPS).toBeCloseTo(firstRun.result.actualRps, 1);
      expect(fortio.body.DurationHistogram.Count).toBe(
        firstRun.result.requests.total,
      );
      const p99 = fortio.body.DurationHistogram.Percentiles.find(
        (p: any) => p.Percentile === 99,
      );
      expect(p99.Value).toBeCloseTo(firstRun.result.latencyMs.p99 / 1000, 6);

      const smp = await api().get(
        `/api/mesh/benchmark/results/${firstRun.id}/export?format=smp`,
      );
      expect(smp.status).toBe(200);
      expect(smp.body).toMatchObject({
        start_time: firstRun.result.startTime,
        actual_qps: firstRun.result.actualRps,
        latencies_ms: {
          p50: firstRun.result.latencyMs.p50,
          p99: firstRun.result.latencyMs.p99,
        },
        labels: { mesh: 'istio', meshVersion: '1.24.2', run: firstRun.id },
      });

      const json = await api().get(
        `/api/mesh/benchmark/results/${firstRun.id}/export`,
      );
      expect(json.body).toMatchObject({
        kind: 'meshperf-result',
        run: { id: firstRun.id },
      });

      const bad = await api().get(
        `/api/mesh/benchmark/results/${firstRun.id}/export?format=xml`,
      );
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toContain("'format'");
    });

    it('cancels a running run, keeping what was measured', async () => {
      const servedBefore = target.served();
      const started = await api()
        .post('/api/mesh/benchmark/runs')
        .send({
          profile: profile({
            name: 'long',
            // Far longer than the test: only the cancel can end it.
            duration: '10m',
            endpoints: [{ url: `${target.url}/slow` }],
          }),
        });
      await waitForState(started.body.id, 'running');
      // Something measured first: a third request on one of the two connections means the
      // first two were answered.
      const deadline = Date.now() + 60_000;
      while (target.served() - servedBefore < 5 && Date.now() < deadline)
        await new Promise(r => setTimeout(r, 20));
      const res = await api().post(
        `/api/mesh/benchmark/runs/${started.body.id}/cancel`,
      );
      expect(res.status).toBe(200);
      expect(res.body.state).toBe('cancelled');
      expect(res.body.result.requests.total).toBeGreaterThan(0);
      expect(res.body.result.requests.total).toBeLessThanOrEqual(
        target.served() - servedBefore,
      );
      // The load stopped: the target sees nothing more.
      const served = target.served();
      await new Promise(r => setTimeout(r, 300));
      expect(target.served()).toBe(served);
      // Cancelling a finished run changes nothing.
      const again = await api().post(
        `/api/mesh/benchmark/runs/${started.body.id}/cancel`,
      );
      expect(again.body.state).toBe('cancelled');
    });

    it('lists runs with filters', async () => {
      const cancelled = await api().get(
        '/api/mesh/benchmark/runs?state=cancelled',
      );
      expect(cancelled.body.items.map((r: any) => r.state)).toEqual([
        'cancelled',
      ]);
      const byEntity = await api().get(
        '/api/mesh/benchmark/runs?entityRef=component:default/echo',
      );
      expect(byEntity.body.items.map((r: any) => r.id)).toEqual([firstRun.id]);
      const limited = await api().get('/api/mesh/benchmark/runs?limit=2');
      expect(limited.body.items).toHaveLength(2);
      const bad = await api().get('/api/mesh/benchmark/runs?state=done');
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toContain("'state'");
    });

    it.each([
      [{ profile: profile({ rate: 5000 }) }, 'profile.rate'],
      [
        { profile: profile({ endpoints: [{ url: 'http://10.0.0.1/' }] }) },
        'profile.endpoints.0.url',
      ],
      [{ profile: profile({ connections: 100 }) }, 'profile.connections'],
      [{ profile: profile({ duration: '11m' }) }, 'profile.duration'],
      [{ profile: profile({ threads: 4 }) }, 'profile.threads'],
      [{ profileId: 'nope' }, 'profileId'],
      [{}, 'profileId'],
    ])('refuses run request %j with a 400 naming %s', async (body, field) => {
      const before = (await api().get('/api/mesh/benchmark/runs')).body.items
        .length;
      const res = await api().post('/api/mesh/benchmark/runs').send(body);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain(`'${field}'`);
      expect(
        (await api().get('/api/mesh/benchmark/runs')).body.items,
      ).toHaveLength(before);
    });

    it('keeps runs and results of a deleted profile', async () => {
      await api().delete(`/api/mesh/benchmark/profiles/${firstRun.profileId}`);
      const run = await api().get(`/api/mesh/benchmark/runs/${firstRun.id}`);
      expect(run.body.profile.name).toBe('echo 200');
      expect(run.body.result.requests.total).toBe(
        firstRun.result.requests.total,
      );
    });
  });
});

describe('benchmark audit events', () => {
  let backend: TestBackend;
  const auditor = mockServices.auditor.mock();

  beforeAll(async () => {
    backend = await startTestBackend({
      features: [
        meshPlugin,
        config(),
        catalogServiceMock.factory({ entities }),
        auditor.factory,
      ],
    });
  });

  afterAll(() => backend?.stop());

  it('audits starting and cancelling a run', async () => {
    const started = await request(backend.server)
      .post('/api/mesh/benchmark/runs')
      .send({
        profile: {
          name: 'audited',
          endpoints: [{ url: 'http://127.0.0.1:9/' }],
          requestCount: 1,
        },
      });
    expect(started.status).toBe(202);
    await request(backend.server).post(
      `/api/mesh/benchmark/runs/${started.body.id}/cancel`,
    );
    const events = auditor.createEvent.mock.calls.map(([e]) => [
      e.eventId,
      (e.meta as any)?.action,
    ]);
    expect(events).toEqual(
      expect.arrayContaining([
        ['mesh-benchmark-run', 'start'],
        ['mesh-benchmark-run', 'cancel'],
      ]),
    );
    const start = auditor.createEvent.mock.calls.find(
      ([e]) => (e.meta as any)?.action === 'start',
    )![0];
    expect(start.meta).toMatchObject({
      profileName: 'audited',
      targets: ['http://127.0.0.1:9/'],
    });
  });
});

describe('benchmark API when the policy denies', () => {
  let backend: TestBackend;

  beforeAll(async () => {
    backend = await startTestBackend({
      features: [
        meshPlugin,
        config(),
        catalogServiceMock.factory({ entities }),
        mockServices.permissions.factory({ result: AuthorizeResult.DENY }),
      ],
    });
  });

  afterAll(() => backend?.stop());

  it('forbids starting runs and writing profiles', async () => {
    const run = await request(backend.server)
      .post('/api/mesh/benchmark/runs')
      .send({ profileId: 'x' });
    expect(run.status).toBe(403);
    expect(run.body.error.message).toContain('mesh.benchmark.run');
    const prof = await request(backend.server)
      .post('/api/mesh/benchmark/profiles')
      .send({});
    expect(prof.status).toBe(403);
    expect(
      (await request(backend.server).get('/api/mesh/benchmark/runs')).status,
    ).toBe(403);
  });
});
