import type { LifecycleRequest, Plan } from '@meshstage/plugin-mesh-common';
import { migrateMeshDatabase } from '../database';
import { meshTestDatabases } from '../database/__testUtils__/testDatabases';
import { OperationConflictError, OperationStore } from './OperationStore';

const install: LifecycleRequest = {
  action: 'install',
  mesh: 'istio',
  cluster: 'dev',
  version: '1.23.4',
};
const plan = (request: LifecycleRequest): Plan => ({
  request,
  summary: `${request.action} ${request.mesh} on ${request.cluster}`,
  steps: [],
});
const configMap = (name: string, data: Record<string, string>) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'istio-system' },
  data,
});

// Databases (PostgreSQL too) are set up per test: jest's 5 s default is too tight on a busy machine.
jest.setTimeout(60_000);

describe('OperationStore', () => {
  const databases = meshTestDatabases();

  async function newStore(databaseId: Parameters<typeof databases.init>[0]) {
    const knex = await databases.init(databaseId);
    await migrateMeshDatabase(knex);
    return new OperationStore(knex);
  }

  const create = (store: OperationStore, request = install, owner = 'a') =>
    store.create({
      request,
      plan: plan(request),
      createdBy: 'user:default/ann',
      owner,
      previousDetection: {
        installed: false,
        versions: [],
        revisions: [],
        components: [],
        namespaces: [],
      } as any,
    });

  it.each(databases.eachSupportedId())(
    'stores operations and lets one at a time hold a cluster and mesh, on %p',
    async databaseId => {
      const store = await newStore(databaseId);
      const first = await create(store);
      expect(first).toMatchObject({
        state: 'planned',
        cluster: 'dev',
        mesh: 'istio',
        action: 'install',
        request: install,
        createdBy: 'user:default/ann',
        previousDetection: { installed: false },
        run: 1,
      });

      const conflict = await create(store).catch(e => e);
      expect(conflict).toBeInstanceOf(OperationConflictError);
      expect(conflict.operationId).toBe(first.id);
      expect(conflict.message).toContain(first.id);

      // Another mesh on the same cluster is independent.
      await create(store, { ...install, mesh: 'linkerd' });

      await store.beginRun(first.id, {
        from: ['planned'],
        to: 'running',
        owner: 'a',
      });
      await store.finish(first.id, 'succeeded', { releaseLock: true });
      const second = await create(store);
      expect(await store.lockHolder('dev', 'istio')).toBe(second.id);

      const listed = await store.list({ cluster: 'dev', mesh: 'istio' });
      expect(listed.map(o => o.id)).toEqual([second.id, first.id]);
      expect((await store.list({ state: 'succeeded' })).map(o => o.id)).toEqual(
        [first.id],
      );
      expect(await store.list({ limit: 1 })).toHaveLength(1);
    },
  );

  it.each(databases.eachSupportedId())(
    'gives the lock to exactly one of many concurrent creations, on %p',
    async databaseId => {
      const store = await newStore(databaseId);
      const results = await Promise.allSettled(
        Array.from({ length: 6 }, () => create(store)),
      );
      const won = results.filter(r => r.status === 'fulfilled');
      const lost = results.filter(
        (r): r is PromiseRejectedResult => r.status === 'rejected',
      );
      expect(won).toHaveLength(1);
      const winner = (won[0] as PromiseFulfilledResult<any>).value.id;
      expect(lost).toHaveLength(5);
      for (const r of lost) {
        expect(r.reason).toBeInstanceOf(OperationConflictError);
        expect(r.reason.operationId).toBe(winner);
      }
      expect(await store.list()).toHaveLength(1);
    },
  );

  it.each(databases.eachSupportedId())(
    'interrupts stale operations of other instances, which keep the lock until resumed, on %p',
    async databaseId => {
      const store = await newStore(databaseId);
      const dead = await create(store, install, 'dead');
      await store.beginRun(dead.id, {
        from: ['planned'],
        to: 'running',
        owner: 'dead',
        currentStep: 2,
      });
      const mine = await create(store, { ...install, mesh: 'linkerd' }, 'me');
      await store.beginRun(mine.id, {
        from: ['planned'],
        to: 'running',
        owner: 'me',
      });

      // Heartbeats fresher than the threshold: nothing is interrupted.
      expect(
        await store.interruptStale({
          before: new Date(Date.now() - 60_000).toISOString(),
        }),
      ).toEqual([]);

      const later = new Date(Date.now() + 1000).toISOString();
      // 'me' still runs its operation; the dead instance's is nobody's.
      const interrupted = await store.interruptStale({
        before: later,
        runningHere: [mine.id],
      });
      expect(interrupted.map(o => [o.id, o.state, o.currentStep])).toEqual([
        [dead.id, 'interrupted', 2],
      ]);
      expect(interrupted[0].error).toContain('dead');
      expect(await store.listLog(dead.id)).toEqual([
        expect.objectContaining({
          seq: 1,
          level: 'warn',
          step: 2,
          message: expect.stringMatching(
            /^Interrupted: backend instance dead stopped while running step 3 \(last heartbeat .+\); resume or revert it$/,
          ),
        }),
      ]);
      expect((await store.get(mine.id))?.state).toBe('running');
      expect(await store.lockHolder('dev', 'istio')).toBe(dead.id);
      await expect(create(store)).rejects.toBeInstanceOf(
        OperationConflictError,
      );

      const resumed = await store.beginRun(dead.id, {
        from: ['interrupted'],
        to: 'running',
        owner: 'me',
      });
      expect(resumed).toMatchObject({
        state: 'running',
        owner: 'me',
        run: 2,
        currentStep: 2,
      });
      await expect(
        store.beginRun(dead.id, {
          from: ['interrupted'],
          to: 'running',
          owner: 'me',
        }),
      ).rejects.toThrow(/is running/);

      // A run this instance lost (it no longer executes it) is interrupted like a dead one's.
      const lost = await store.interruptStale({
        before: new Date(Date.now() + 1000).toISOString(),
        runningHere: [dead.id],
      });
      expect(lost.map(o => [o.id, o.state])).toEqual([
        [mine.id, 'interrupted'],
      ]);
    },
  );

  it.each(databases.eachSupportedId())(
    'takes the lock again to rerun a failed operation, unless another holds it, on %p',
    async databaseId => {
      const store = await newStore(databaseId);
      const failed = await create(store);
      await store.finish(failed.id, 'failed', {
        error: 'boom',
        releaseLock: true,
      });
      expect(await store.lockHolder('dev', 'istio')).toBeUndefined();
      const other = await create(store);
      const conflict = await store
        .beginRun(failed.id, { from: ['failed'], to: 'reverting', owner: 'a' })
        .catch(e => e);
      expect(conflict).toBeInstanceOf(OperationConflictError);
      expect(conflict.operationId).toBe(other.id);
      await store.finish(other.id, 'succeeded', { releaseLock: true });
      const reverting = await store.beginRun(failed.id, {
        from: ['failed'],
        to: 'reverting',
        owner: 'a',
      });
      expect(reverting.state).toBe('reverting');
      expect(reverting.error).toBeUndefined();
      expect(await store.lockHolder('dev', 'istio')).toBe(failed.id);
    },
  );

  it.each(databases.eachSupportedId())(
    'forgets the resume point when a revert begins, and says an interrupted revert was reverting, on %p',
    async databaseId => {
      const store = await newStore(databaseId);
      const op = await create(store, install, 'dead');
      await store.beginRun(op.id, {
        from: ['planned'],
        to: 'running',
        owner: 'dead',
        currentStep: 5,
      });
      await store.finish(op.id, 'failed', { error: 'boom', releaseLock: true });
      const reverting = await store.beginRun(op.id, {
        from: ['failed'],
        to: 'reverting',
        owner: 'dead',
        currentStep: null,
      });
      expect(reverting.currentStep).toBeUndefined();

      const [interrupted] = await store.interruptStale({
        before: new Date(Date.now() + 1000).toISOString(),
      });
      expect(interrupted).toMatchObject({ id: op.id, state: 'interrupted' });
      expect(interrupted.currentStep).toBeUndefined();
      expect(interrupted.error).toMatch(
        /^Interrupted: backend instance dead stopped while reverting \(last heartbeat .+\)$/,
      );
      // A resume now starts from the first step.
      const resumed = await store.beginRun(op.id, {
        from: ['interrupted'],
        to: 'running',
        owner: 'me',
      });
      expect(resumed.currentStep).toBeUndefined();
    },
  );

  it.each(databases.eachSupportedId())(
    'keeps the step log in order, the first prior state of a step, and the latest applied objects, on %p',
    async databaseId => {
      const store = await newStore(databaseId);
      const op = await create(store);
      await store.appendLog(op.id, { level: 'info', message: 'one', step: 0 });
      await store.appendLog(op.id, { level: 'error', message: 'two' });
      await Promise.all([
        store.appendLog(op.id, { level: 'info', message: 'three' }),
        store.appendLog(op.id, { level: 'info', message: 'four' }),
      ]);
      const log = await store.listLog(op.id);
      expect(log.map(l => l.seq)).toEqual([1, 2, 3, 4]);
      expect(log[0]).toMatchObject({ step: 0, level: 'info', message: 'one' });
      expect(log[1].step).toBeUndefined();
      expect((await store.listLog(op.id, 2)).map(l => l.seq)).toEqual([3, 4]);

      const ref = {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        name: 'mesh',
        namespace: 'istio-system',
      };
      await store.recordPriorState(op.id, 1, ref, undefined);
      await store.recordPriorState(
        op.id,
        0,
        ref,
        configMap('mesh', { a: '1' }),
      );
      // A resumed step records again: the first record stays.
      await store.recordPriorState(
        op.id,
        0,
        ref,
        configMap('mesh', { a: '2' }),
      );
      expect(await store.listPriorStates(op.id)).toEqual([
        { step: 0, ref, prior: configMap('mesh', { a: '1' }) },
        { step: 1, ref },
      ]);

      await store.recordApplied(
        'dev',
        'istio',
        op.id,
        configMap('mesh', { a: '1' }),
      );
      await store.recordApplied(
        'dev',
        'istio',
        'later-op',
        configMap('mesh', { a: '2' }),
      );
      await store.recordApplied('dev', 'istio', op.id, configMap('other', {}));
      await store.recordApplied('dev', 'linkerd', op.id, configMap('mesh', {}));
      const applied = await store.listAppliedObjects('dev', 'istio');
      expect(
        applied.map(a => [a.ref.name, a.operationId, a.object.data]),
      ).toEqual([
        ['mesh', 'later-op', { a: '2' }],
        ['other', op.id, {}],
      ]);
      await store.removeApplied('dev', 'istio', { ...ref, name: 'other' });
      expect(await store.listAppliedObjects('dev', 'istio')).toHaveLength(1);
      await store.removeAppliedOf({ operationId: 'later-op' });
      expect(await store.listAppliedObjects('dev', 'istio')).toHaveLength(0);
      await store.removeAppliedOf({ cluster: 'dev', mesh: 'linkerd' });
      expect(await store.listAppliedObjects('dev', 'linkerd')).toHaveLength(0);
    },
  );
});
