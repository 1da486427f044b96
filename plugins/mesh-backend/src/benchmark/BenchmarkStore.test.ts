import knexFactory, { type Knex } from 'knex';
import { migrateMeshDatabase } from '../database';
import { meshTestDatabases } from '../database/__testUtils__/testDatabases';
import { BenchmarkStore, type NewRun } from './BenchmarkStore';
import { profileInputSchema } from './profileSchema';
import { constructedResult, spread } from './__testUtils__/results';

jest.setTimeout(60_000);

const spec = profileInputSchema.parse({
  name: 'echo',
  endpoints: [{ url: 'http://127.0.0.1:8080/' }],
  duration: '1s',
  schedule: '*/5 * * * *',
  entityRef: 'component:default/echo',
});

const newRun = (profileId: string): NewRun => ({
  profileId,
  entityRef: spec.entityRef,
  profile: spec,
  trigger: 'schedule',
  createdBy: 'scheduler',
});

describe('BenchmarkStore', () => {
  const databases = meshTestDatabases();
  const extra: Knex[] = [];

  afterAll(async () => {
    await Promise.all(extra.map(k => k.destroy()));
  });

  /**
   * Two stores on the same database. PostgreSQL: two connection pools, as two backend
   * instances have. SQLite (in memory, one connection) can only be shared through one client.
   */
  async function twoStores(databaseId: string) {
    const knex = await databases.init(databaseId as any);
    await migrateMeshDatabase(knex);
    let other = knex;
    if (
      knex.client.config.client !== 'better-sqlite3' &&
      knex.client.config.client !== 'sqlite3'
    ) {
      other = knexFactory(knex.client.config);
      extra.push(other);
    }
    return [new BenchmarkStore(knex), new BenchmarkStore(other)] as const;
  }

  it.each(databases.eachSupportedId())(
    'stores, lists, updates and deletes profiles on %p',
    async databaseId => {
      const [store] = await twoStores(databaseId);
      const created = await store.createProfile(spec, 'user:default/ann');
      expect(created).toMatchObject({
        name: 'echo',
        connections: 4,
        protocol: 'http1',
        createdBy: 'user:default/ann',
        entityRef: 'component:default/echo',
      });
      expect(created.lastScheduledAt).toBe(created.createdAt);
      const global = await store.createProfile(
        { ...spec, name: 'global', entityRef: undefined, schedule: undefined },
        'user:default/ann',
      );
      expect((await store.listProfiles()).map(p => p.name)).toEqual([
        'echo',
        'global',
      ]);
      expect(
        (await store.listProfiles({ entityRef: 'component:default/echo' })).map(
          p => p.id,
        ),
      ).toEqual([created.id]);

      const updated = await store.updateProfile(created.id, {
        ...spec,
        rate: 50,
      });
      expect(updated?.rate).toBe(50);
      expect(await store.updateProfile('nope', spec)).toBeUndefined();

      const run = await store.createRun(newRun(created.id));
      expect(await store.deleteProfile(created.id)).toBe(true);
      expect(await store.deleteProfile(created.id)).toBe(false);
      // The run outlives its profile and still carries it.
      expect((await store.getRun(run.id))?.profile.name).toBe('echo');
      expect(await store.getProfile(global.id)).toBeDefined();
    },
  );

  it.each(databases.eachSupportedId())(
    'claims a schedule slot exactly once across two instances on %p',
    async databaseId => {
      const [a, b] = await twoStores(databaseId);
      const profile = await a.createProfile(spec, 'user:default/ann');
      const slot = new Date(
        Date.parse(profile.createdAt) + 60_000,
      ).toISOString();
      const claims = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          (i % 2 ? a : b).claimScheduleSlot(
            profile.id,
            slot,
            newRun(profile.id),
          ),
        ),
      );
      expect(claims.filter(Boolean)).toHaveLength(1);
      // A retry of the same slot (a restart) or an older one gets nothing.
      expect(
        await b.claimScheduleSlot(profile.id, slot, newRun(profile.id)),
      ).toBeUndefined();
      expect(
        await b.claimScheduleSlot(
          profile.id,
          profile.createdAt,
          newRun(profile.id),
        ),
      ).toBeUndefined();
      const next = new Date(Date.parse(slot) + 300_000).toISOString();
      expect(
        await b.claimScheduleSlot(profile.id, next, newRun(profile.id)),
      ).toBeDefined();
      const runs = await a.listRuns({ profileId: profile.id });
      expect(runs).toHaveLength(2);
      expect(
        runs.every(r => r.state === 'queued' && r.trigger === 'schedule'),
      ).toBe(true);
      expect((await a.getProfile(profile.id))?.lastScheduledAt).toBe(next);
    },
  );

  it.each(databases.eachSupportedId())(
    'starts each queued run once and moves it through its states on %p',
    async databaseId => {
      const [a, b] = await twoStores(databaseId);
      const profile = await a.createProfile(spec, 'user:default/ann');
      const queued = [];
      for (let i = 0; i < 4; i++)
        queued.push(await a.createRun(newRun(profile.id)));
      const taken = await Promise.all([
        a.claimNextQueued(),
        b.claimNextQueued(),
        a.claimNextQueued(),
        b.claimNextQueued(),
        a.claimNextQueued(),
      ]);
      const ids = taken.filter(Boolean).map(r => r!.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.length).toBeGreaterThanOrEqual(3);
      const [first, second] = ids;
      expect((await a.getRun(first))?.state).toBe('running');

      const result = constructedResult([spread(100, 1, 3)]);
      const environment = {
        runner: 'in-process',
        loadgenVersion: '0.1.0',
        nodeVersion: process.version,
        hostname: 'h',
        threads: 1,
      };
      expect(
        await a.finishRun(first, {
          state: 'succeeded',
          result: {
            result,
            environment,
            thresholds: { passed: true, broken: [] },
          },
        }),
      ).toBe(true);
      // Finishing twice (another instance) writes nothing.
      expect(await b.finishRun(first, { state: 'failed', error: 'x' })).toBe(
        false,
      );
      const stored = await b.getResult(first);
      expect(stored?.result.latencyMs).toEqual(result.latencyMs);
      expect(stored?.result.histogram.data).toBe(result.histogram.data);
      expect(stored?.thresholds).toEqual({ passed: true, broken: [] });
      expect(await b.getRun(first)).toMatchObject({ state: 'succeeded' });

      expect(await a.requestCancel(second)).toBe(true);
      expect(await b.isCancelRequested(second)).toBe(true);
      expect(await b.heartbeat(second)).toEqual({ cancelRequested: true });
      // Every running run beat just now: none is stale a minute ago.
      expect(
        await a.failRunning('x', new Date(Date.now() - 60_000).toISOString()),
      ).toBe(0);
      expect(await a.isCancelRequested(first)).toBe(false);

      const left = await a.listRuns({ profileId: profile.id, state: 'queued' });
      for (const r of left) expect(await b.cancelQueued(r.id)).toBe(true);
      expect(await b.failRunning('interrupted by backend restart')).toBe(
        ids.length - 1,
      );
      const states = (await a.listRuns({ profileId: profile.id }))
        .map(r => r.state)
        .sort();
      expect(states).toEqual(
        [
          'succeeded',
          ...Array(ids.length - 1).fill('failed'),
          ...Array(4 - ids.length).fill('cancelled'),
        ].sort(),
      );
      expect((await a.getRun(second))?.error).toBe(
        'interrupted by backend restart',
      );
      expect(
        await a.listRuns({ profileId: profile.id, limit: 2 }),
      ).toHaveLength(2);
    },
  );
});
