import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mockServices } from '@backstage/backend-test-utils';
import knexFactory, { type Knex } from 'knex';
import { migrateMeshDatabase } from '../database';
import { meshTestDatabases } from '../database/__testUtils__/testDatabases';
import {
  BenchmarkService,
  INTERRUPTED_ERROR,
  STALE_AFTER_MS,
} from './BenchmarkService';
import { BenchmarkStore } from './BenchmarkStore';
import { InProcessRunner } from './InProcessRunner';
import { DEFAULT_BENCHMARK_LIMITS } from './limits';
import { profileInputSchema } from './profileSchema';
import type { BenchmarkRun } from './types';

jest.setTimeout(60_000);

const config = {
  concurrency: 1,
  limits: { ...DEFAULT_BENCHMARK_LIMITS, allowedHosts: ['127.0.0.1'] },
};

describe('BenchmarkService', () => {
  const databases = meshTestDatabases();
  const extra: Knex[] = [];
  const services: BenchmarkService[] = [];
  let server: http.Server;
  let url: string;
  let served = 0;

  beforeAll(async () => {
    server = http.createServer((_req, res) => {
      served++;
      setTimeout(() => res.end('ok'), 2);
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });

  afterEach(async () => {
    await Promise.all(services.splice(0).map(s => s.stop()));
  });

  afterAll(async () => {
    await Promise.all(extra.map(k => k.destroy()));
    server.closeAllConnections();
    await new Promise(resolve => server.close(resolve));
  });

  /** Two backend instances on one database (two pools on PostgreSQL; one client on SQLite). */
  async function twoInstances(databaseId: string, now?: () => Date) {
    const knex = await databases.init(databaseId as any);
    await migrateMeshDatabase(knex);
    let other = knex;
    if (!String(knex.client.config.client).includes('sqlite')) {
      other = knexFactory(knex.client.config);
      extra.push(other);
    }
    return [knex, other].map(k => {
      const store = new BenchmarkStore(k);
      const db = k;
      const service = new BenchmarkService({
        store,
        runner: new InProcessRunner(),
        config,
        logger: mockServices.logger.mock(),
        now,
      });
      services.push(service);
      return { store, service, db };
    });
  }

  async function waitFor(
    store: BenchmarkStore,
    id: string,
    done: (r: BenchmarkRun) => boolean,
  ): Promise<BenchmarkRun> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const run = (await store.getRun(id))!;
      if (done(run)) return run;
      if (Date.now() > deadline) throw new Error(`run ${id} is ${run.state}`);
      await new Promise(r => setTimeout(r, 50));
    }
  }

  const spec = () =>
    profileInputSchema.parse({
      name: 'svc',
      endpoints: [{ url }],
      connections: 2,
      requestCount: 40,
      schedule: '* * * * *',
    });

  it.each(databases.eachSupportedId())(
    'fails runs a stopped backend left running, at startup, on %p',
    async databaseId => {
      // The services' clock stands still at the surviving run's last heartbeat, so how long the
      // test takes cannot make that heartbeat stale; the test moves time on explicitly.
      let nowMs = Date.now();
      const [a] = await twoInstances(databaseId, () => new Date(nowMs));
      const newRun = () =>
        a.store.createRun({
          profile: spec(),
          trigger: 'manual',
          createdBy: 'user:default/ann',
        });
      const orphan = await newRun();
      await a.store.claimNextQueued(); // running, then its process died ...
      await a
        .db('mesh_benchmark_runs')
        .where({ id: orphan.id })
        .update({ heartbeat_at: new Date(Date.now() - 60_000).toISOString() });
      const alive = await newRun();
      await a.store.claimNextQueued(); // ... while this one's instance still beats
      await a.store.heartbeat(alive.id);
      const { heartbeat_at } = await a
        .db('mesh_benchmark_runs')
        .where({ id: alive.id })
        .first();
      nowMs = Date.parse(heartbeat_at);

      await a.service.start();
      expect(await a.store.getRun(orphan.id)).toMatchObject({
        state: 'failed',
        error: INTERRUPTED_ERROR,
        finishedAt: expect.any(String),
      });
      expect((await a.store.getRun(alive.id))?.state).toBe('running');
      // Once its heartbeat is older than STALE_AFTER_MS, the next sweep fails it too.
      expect(
        await a.service.failInterrupted(nowMs + STALE_AFTER_MS + 1000),
      ).toBe(1);
      expect((await a.store.getRun(alive.id))?.error).toBe(INTERRUPTED_ERROR);
    },
  );

  it.each(databases.eachSupportedId())(
    'queues a due cron slot once across two instances and runs it on %p',
    async databaseId => {
      const [a, b] = await twoInstances(databaseId);
      const profile = await a.store.createProfile(spec(), 'user:default/ann');
      const later = new Date(Date.parse(profile.createdAt) + 61_000);
      const [qa, qb] = await Promise.all([
        a.service.queueScheduled(later),
        b.service.queueScheduled(later),
      ]);
      expect(qa.length + qb.length).toBe(1);
      // The same minute again (a restart, the next tick): nothing new.
      expect(await b.service.queueScheduled(later)).toEqual([]);
      const [run] = [...qa, ...qb];
      expect(run).toMatchObject({
        trigger: 'schedule',
        profileId: profile.id,
        createdBy: 'service:plugin:mesh',
      });
      const done = await waitFor(a.store, run.id, r => r.state === 'succeeded');
      const result = await a.store.getResult(done.id);
      expect(result?.result.requests.total).toBe(40);
    },
  );

  it.each(databases.eachSupportedId())(
    'stops a run when another instance is asked to cancel it, on %p',
    async databaseId => {
      const [a, b] = await twoInstances(databaseId);
      const servedBefore = served;
      const run = await a.service.enqueue({
        profile: profileInputSchema.parse({
          name: 'long',
          endpoints: [{ url }],
          connections: 2,
          // Far longer than the test: only the cancel can end it.
          duration: '10m',
        }),
        trigger: 'manual',
        createdBy: 'user:default/ann',
      });
      await waitFor(a.store, run.id, r => r.state === 'running');
      expect(a.service.isLocal(run.id)).toBe(true);
      // Some load measured first: a third request on one of the two connections means the
      // first two were answered.
      await waitFor(a.store, run.id, () => served - servedBefore >= 5);
      const seen = await b.service.cancel(run.id); // b does not run it: flags it
      expect(seen?.state).toBe('running');
      const done = await waitFor(a.store, run.id, r => r.state !== 'running');
      expect(done.state).toBe('cancelled');
      const before = served;
      await new Promise(r => setTimeout(r, 200));
      expect(served).toBe(before);
      expect(
        (await a.store.getResult(run.id))?.result.requests.total,
      ).toBeGreaterThan(0);
    },
  );
});
