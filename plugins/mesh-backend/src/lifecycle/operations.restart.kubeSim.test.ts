import path from 'node:path';
import { startKubeSim } from '@meshstage/kube-sim';
import { IstioAdapter } from '@meshstage/plugin-mesh-backend-module-istio';
import {
  AuthorizeResult,
  type DefinitivePolicyDecision,
} from '@backstage/plugin-permission-common';
import { mockServices } from '@backstage/backend-test-utils';
import { eventually, kubeResources } from '@meshstage/plugin-mesh-node';
import type { Knex } from 'knex';
import { migrateMeshDatabase } from '../database';
import { meshTestDatabases } from '../database/__testUtils__/testDatabases';
import { startOperationsApp, testClock } from './__testUtils__/operationsApp';
import { StuckAdapter } from './__testUtils__/StuckAdapter';

const EXAMPLE_CLUSTER = path.resolve(__dirname, '../../../../examples/cluster');

type Sim = Awaited<ReturnType<typeof startKubeSim>>;

// Real clusters and rollouts: generous when the machine is busy.
jest.setTimeout(180_000);

// Longer than any test runs: a heartbeat only goes stale when the test moves the clock past it.
const INTERRUPT_AFTER_MS = 10 * 60_000;

describe('operations: locking, restarts, permissions and input', () => {
  const databases = meshTestDatabases();
  const sims: Sim[] = [];
  const apps: Array<ReturnType<typeof startOperationsApp>> = [];
  let clock = testClock();

  beforeEach(() => {
    clock = testClock();
  });

  afterEach(async () => {
    for (const app of apps.splice(0)) await app.runner.stop();
    for (const sim of sims.splice(0)) await sim.close();
  });

  async function setup(databaseId: Parameters<typeof databases.init>[0]) {
    const sim = await startKubeSim({ seed: [EXAMPLE_CLUSTER] });
    sims.push(sim);
    const knex = await databases.init(databaseId);
    await migrateMeshDatabase(knex);
    return { sim, knex };
  }

  function backend(
    sim: Sim,
    knex: Knex,
    instanceId: string,
    extra: Partial<Parameters<typeof startOperationsApp>[0]> = {},
  ) {
    const app = startOperationsApp({
      knex,
      clusters: [{ name: 'dev', url: sim.url, token: sim.token }],
      adapters: [new StuckAdapter(), new IstioAdapter()],
      instanceId,
      interruptAfterMs: INTERRUPT_AFTER_MS,
      now: clock.now,
      ...extra,
    });
    apps.push(app);
    return app;
  }

  const stuckInstall = (name: string, waitFor: string) => ({
    action: 'install',
    mesh: 'stuck',
    cluster: 'dev',
    version: '1.0.0',
    values: { name, waitFor },
  });

  const readyDeployment = (name: string) => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default' },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'main', image: 'nginx:1.27' }] },
      },
    },
  });

  /** Starts an operation on `app` and waits until it is in its wait step (index 2). */
  async function startStuck(
    app: ReturnType<typeof startOperationsApp>,
    name: string,
    waitFor: string,
  ) {
    const res = await app.api.post('/operations', stuckInstall(name, waitFor));
    expect(res.status).toBe(202);
    const id: string = res.body.operation.id;
    await eventually(async () => {
      const { body } = await app.api.get(`/operations/${id}`);
      return body.log.some((l: any) => l.message.startsWith('Step 3/3:'))
        ? true
        : undefined;
    });
    return id;
  }

  it.each(databases.eachSupportedId())(
    'answers two concurrent installs with exactly one 202 and one 409 naming the running operation, on %p',
    async databaseId => {
      const { sim, knex } = await setup(databaseId);
      const app = backend(sim, knex, 'a');
      await app.clusters.writer('dev')!.apply(readyDeployment('ready'));
      const responses = await Promise.all([
        app.api.post('/operations', stuckInstall('one', 'ready')),
        app.api.post('/operations', stuckInstall('one', 'ready')),
      ]);
      expect(responses.map(r => r.status).sort()).toEqual([202, 409]);
      const accepted = responses.find(r => r.status === 202)!;
      const refused = responses.find(r => r.status === 409)!;
      const id = accepted.body.operation.id;
      expect(refused.body.operationId).toBe(id);
      expect(refused.body.error.name).toBe('ConflictError');
      expect(refused.body.error.message).toContain(id);
      expect((await app.settled(id)).state).toBe('succeeded');
      expect((await app.api.get('/operations')).body.items).toHaveLength(1);

      // Audited: both requests, the refused one with its error.
      expect(app.audit.map(e => [e.eventId, e.outcome]).sort()).toEqual([
        ['mesh-operation-create', 'fail'],
        ['mesh-operation-create', 'success'],
      ]);
      expect(
        app.audit.find(e => e.outcome === 'success')?.result,
      ).toMatchObject({ operationId: id });

      // The lock is free again once it finished.
      const next = await app.api.post(
        '/operations',
        stuckInstall('two', 'ready'),
      );
      expect(next.status).toBe(202);
      expect((await app.settled(next.body.operation.id)).state).toBe(
        'succeeded',
      );
    },
  );

  it.each(databases.eachSupportedId())(
    'marks the operation of a killed backend interrupted; revert restores the cluster, resume finishes another, on %p',
    async databaseId => {
      const { sim, knex } = await setup(databaseId);
      const first = backend(sim, knex, 'first');
      const writer = first.clusters.writer('dev')!;
      const configMap = (name: string) =>
        writer.get({
          apiVersion: 'v1',
          kind: 'ConfigMap',
          name: `stuck-${name}`,
          namespace: 'default',
        });
      const bookinfoLabels = async () =>
        (
          await writer.get({
            apiVersion: 'v1',
            kind: 'Namespace',
            name: 'bookinfo',
          })
        )?.metadata.labels ?? {};
      const labelsBefore = await bookinfoLabels();

      const id = await startStuck(first, 'one', 'never');
      expect(await configMap('one')).toBeDefined();
      expect(await bookinfoLabels()).toMatchObject({ 'stuck-one': 'yes' });

      await first.runner.stop(); // the process dies mid-wait
      const second = backend(sim, knex, 'second');
      // Its last heartbeat is recent: not yet taken for dead.
      expect(await second.service.sweepInterrupted()).toEqual([]);
      // Once more than interruptAfter has passed without a heartbeat, it is.
      clock.advance(INTERRUPT_AFTER_MS + 1000);
      const interrupted = await second.service.sweepInterrupted();
      expect(interrupted.map(o => [o.id, o.state, o.currentStep])).toEqual([
        [id, 'interrupted', 2],
      ]);
      const detail = await second.api.get(`/operations/${id}`);
      expect(detail.body.operation.state).toBe('interrupted');
      expect(detail.body.log.at(-1)).toMatchObject({
        level: 'warn',
        step: 2,
        message: expect.stringMatching(
          /^Interrupted: backend instance first stopped/,
        ),
      });

      // The interrupted operation keeps the lock.
      const blocked = await second.api.post(
        '/operations',
        stuckInstall('two', 'late'),
      );
      expect(blocked.status).toBe(409);
      expect(blocked.body.operationId).toBe(id);

      // A dry run of the revert says what it would do and does nothing.
      const dry = await second.api.post(`/operations/${id}/revert`, {
        dryRun: true,
      });
      expect(dry.status).toBe(200);
      expect(dry.body.diff).toContain('- ConfigMap/default/stuck-one');
      expect(dry.body.diff).toContain('~ Namespace/bookinfo');
      expect(dry.body.diff).toContain('-   /metadata/labels/stuck-one');
      expect(await configMap('one')).toBeDefined();
      expect((await second.store.get(id))?.state).toBe('interrupted');

      const reverted = await second.api.post(`/operations/${id}/revert`);
      expect(reverted.status).toBe(202);
      expect(reverted.body.operation).toMatchObject({
        state: 'reverting',
        run: 2,
        owner: 'second',
      });
      expect(await second.settled(id)).toMatchObject({ state: 'reverted' });
      expect(await configMap('one')).toBeUndefined();
      expect(await bookinfoLabels()).toEqual(labelsBefore);
      expect(await second.store.lockHolder('dev', 'stuck')).toBeUndefined();
      expect(await second.store.listAppliedObjects('dev', 'stuck')).toEqual([]);

      // Another operation is killed mid-wait, then resumed once what it waits for exists.
      const third = backend(sim, knex, 'third');
      const id2 = await startStuck(third, 'two', 'late');
      await third.runner.stop();
      clock.advance(INTERRUPT_AFTER_MS + 1000);
      expect(
        (await second.service.sweepInterrupted()).map(o => [o.id, o.state]),
      ).toEqual([[id2, 'interrupted']]);
      await writer.apply(readyDeployment('late'));
      const dryResume = await second.api.post(`/operations/${id2}/resume`, {
        dryRun: true,
      });
      expect(dryResume.status).toBe(200);
      expect(dryResume.body.plan.steps).toHaveLength(1);
      expect(dryResume.body.diff).toContain('wait for Deployment/default/late');

      const resumed = await second.api.post(`/operations/${id2}/resume`);
      expect(resumed.status).toBe(202);
      expect(await second.settled(id2)).toMatchObject({
        state: 'succeeded',
        run: 2,
      });
      const log = (await second.api.get(`/operations/${id2}`)).body.log.map(
        (l: any) => l.message,
      );
      expect(log).toContain('Resume requested');
      expect(log.some((m: string) => /resuming at step 3/.test(m))).toBe(true);
      expect(await configMap('two')).toBeDefined();
      expect(await second.store.lockHolder('dev', 'stuck')).toBeUndefined();
      expect(
        (await second.store.listAppliedObjects('dev', 'stuck')).map(
          a => a.ref.name,
        ),
      ).toEqual(['stuck-two']);

      // Only interrupted or failed operations can be resumed.
      const again = await second.api.post(`/operations/${id2}/resume`);
      expect(again.status).toBe(409);
      expect(second.audit.map(e => [e.eventId, e.outcome])).toEqual([
        ['mesh-operation-create', 'fail'],
        ['mesh-operation-revert', 'success'],
        ['mesh-operation-resume', 'success'],
        ['mesh-operation-resume', 'fail'],
      ]);
    },
  );

  it('reverts an Istio install interrupted half way: its namespace and CRDs are gone again', async () => {
    const { sim, knex } = await setup('SQLITE_3');
    const first = backend(sim, knex, 'first');
    const writer = first.clusters.writer('dev')!;
    const crds = async () =>
      (
        await writer.list({
          group: 'apiextensions.k8s.io',
          version: 'v1',
          plural: 'customresourcedefinitions',
        })
      ).map(c => c.metadata.name);
    const webhooks = async () =>
      (await writer.list(kubeResources.mutatingWebhookConfigurations)).map(
        w => w.metadata.name,
      );
    const crdsBefore = await crds();
    const webhooksBefore = await webhooks();
    // The apply of istiod's Deployment (well past the namespace and CRDs, before the last step)
    // takes 10 s, so the kill lands there however busy the machine is.
    sim.faults.set(
      'latency=10s,verbs=patch,resources=deployments.apps,names=istiod',
    );
    const res = await first.api.post('/operations', {
      action: 'install',
      mesh: 'istio',
      cluster: 'dev',
      version: '1.23.4',
    });
    expect(res.status).toBe(202);
    const id: string = res.body.operation.id;
    const steps: number = res.body.operation.plan.steps.length;
    // Kill the backend while istiod's apply hangs.
    await eventually(async () => {
      const { body } = await first.api.get(`/operations/${id}`);
      return body.log.some((l: any) =>
        /^Step \d+\/\d+: .*Deployment\/istio-system\/istiod/.test(l.message),
      )
        ? true
        : undefined;
    });
    await first.runner.stop();
    sim.faults.clear();
    const afterKill = (await first.api.get(`/operations/${id}`)).body;
    expect(afterKill.operation.state).toBe('running');
    expect(afterKill.operation.currentStep).toBeLessThan(steps - 1);
    expect(
      res.body.operation.plan.steps[afterKill.operation.currentStep]
        .description,
    ).toBe('Apply Deployment/istio-system/istiod');
    expect(
      await writer.get({
        apiVersion: 'v1',
        kind: 'Namespace',
        name: 'istio-system',
      }),
    ).toBeDefined();
    expect((await crds()).length).toBeGreaterThan(crdsBefore.length);

    const second = backend(sim, knex, 'second');
    clock.advance(INTERRUPT_AFTER_MS + 1000);
    expect(
      (await second.service.sweepInterrupted()).map(o => [o.id, o.state]),
    ).toEqual([[id, 'interrupted']]);
    expect((await second.api.post(`/operations/${id}/revert`)).status).toBe(
      202,
    );
    const reverted = await second.settled(id);
    expect([reverted.state, reverted.error]).toEqual(['reverted', undefined]);
    expect(
      await writer.get({
        apiVersion: 'v1',
        kind: 'Namespace',
        name: 'istio-system',
      }),
    ).toBeUndefined();
    expect(await crds()).toEqual(crdsBefore);
    expect(await webhooks()).toEqual(webhooksBefore);
    expect(await second.store.lockHolder('dev', 'istio')).toBeUndefined();

    // The mesh can be installed again from scratch.
    const again = await second.api.post('/operations', {
      action: 'install',
      mesh: 'istio',
      cluster: 'dev',
      version: '1.23.4',
    });
    expect(again.status).toBe(202);
    expect((await second.settled(again.body.operation.id)).state).toBe(
      'succeeded',
    );
  });

  it('fails a step with what it last saw, records the failing step and releases the lock', async () => {
    const { sim, knex } = await setup('SQLITE_3');
    const app = backend(sim, knex, 'a');
    const res = await app.api.post('/operations', {
      ...stuckInstall('one', 'never'),
      values: { name: 'one', waitFor: 'never', timeoutSeconds: 1 },
    });
    expect(res.status).toBe(202);
    // Followed live: the stream ends by itself with the final state.
    const stream = await app.api
      .get(`/operations/${res.body.operation.id}/events`)
      .buffer(true)
      .parse((r, done) => {
        let text = '';
        r.on('data', (chunk: Buffer) => {
          text += chunk.toString();
        });
        r.on('end', () => done(null, text));
      });
    const blocks = (stream.body as string).trim().split('\n\n');
    expect(blocks.some(b => b.includes('Step 3/3: Wait for'))).toBe(true);
    expect(blocks.at(-1)).toMatch(/^event: state\ndata: \{"state":"failed"/);
    const op = await app.settled(res.body.operation.id);
    expect(op).toMatchObject({
      state: 'failed',
      currentStep: 2,
      error:
        'Step 3 (Wait for Deployment/default/never to be Available (up to 1s)) failed: Deployment/default/never was not Available within 1 s; last seen: does not exist',
    });
    const { body } = await app.api.get(`/operations/${op.id}`);
    expect(body.log.at(-1)).toMatchObject({ level: 'error', step: 2 });
    expect(await app.store.lockHolder('dev', 'stuck')).toBeUndefined();

    // A failed operation can be reverted too.
    expect((await app.api.post(`/operations/${op.id}/revert`)).status).toBe(
      202,
    );
    expect((await app.settled(op.id)).state).toBe('reverted');
  });

  it('lets a user without the install permission dry-run but not install, and audits the refusal', async () => {
    const { sim, knex } = await setup('SQLITE_3');
    const permissions = mockServices.permissions.mock({
      authorize: async requests =>
        requests.map(
          (r): DefinitivePolicyDecision => ({
            result:
              'permission' in r &&
              r.permission.name === 'mesh.operation.install'
                ? AuthorizeResult.DENY
                : AuthorizeResult.ALLOW,
          }),
        ),
    });
    const app = backend(sim, knex, 'a', { permissions });
    const body = {
      action: 'install',
      mesh: 'istio',
      cluster: 'dev',
      version: '1.23.4',
    };
    const dry = await app.api.post('/operations', { ...body, dryRun: true });
    expect(dry.status).toBe(200);
    expect(dry.body.diff).toContain('Deployment/istio-system/istiod');

    const denied = await app.api.post('/operations', body);
    expect(denied.status).toBe(403);
    expect(denied.body.error.message).toContain('mesh.operation.install');
    expect((await app.api.get('/operations')).body.items).toEqual([]);
    expect(await app.store.lockHolder('dev', 'istio')).toBeUndefined();
    expect(app.audit).toEqual([
      {
        eventId: 'mesh-operation-create',
        meta: { action: 'install', cluster: 'dev', mesh: 'istio' },
        outcome: 'fail',
        error: 'Not allowed (permission mesh.operation.install)',
      },
    ]);
  });

  it('answers bad input with a 400 naming the field, and unknown ids with 404', async () => {
    const { sim, knex } = await setup('SQLITE_3');
    const app = backend(sim, knex, 'a');
    const cases: Array<[object, RegExp]> = [
      [
        { action: 'install', mesh: 'istio', cluster: 'dev' },
        /^Invalid body field 'version'/,
      ],
      [
        { action: 'explode', mesh: 'istio', cluster: 'dev' },
        /^Invalid body field 'action'/,
      ],
      [
        {
          action: 'onboard',
          mesh: 'istio',
          cluster: 'dev',
          namespace: 'Bad_NS',
        },
        /^Invalid body field 'namespace'/,
      ],
      [
        {
          action: 'upgrade',
          mesh: 'istio',
          cluster: 'dev',
          toVersion: '1.24.2',
          strategy: 'sideways',
        },
        /^Invalid body field 'strategy'/,
      ],
      [
        {
          action: 'install',
          mesh: 'istio',
          cluster: 'dev',
          version: '1.24.2',
          dryRun: 'yes',
        },
        /^Invalid body field 'dryRun'/,
      ],
      [
        { action: 'install', mesh: 'istio', cluster: 'dev', version: '9.9.9' },
        /^Invalid body field 'version': Istio 9\.9\.9 is not supported; supported versions: 1\.23\.4, 1\.24\.2/,
      ],
      [
        {
          action: 'install',
          mesh: 'istio',
          cluster: 'nope',
          version: '1.23.4',
        },
        /^Unknown cluster 'nope' in body field 'cluster'/,
      ],
      [
        { action: 'install', mesh: 'consul', cluster: 'dev', version: '1.0' },
        /^Unknown mesh 'consul' in body field 'mesh'/,
      ],
    ];
    for (const [body, message] of cases) {
      const res = await app.api.post('/operations', body);
      expect([res.status, res.body.error?.message]).toEqual([
        400,
        expect.stringMatching(message),
      ]);
    }
    expect(
      (await app.api.get('/operations?limit=abc')).body.error.message,
    ).toMatch(/^Invalid query parameter 'limit'/);
    expect(
      (await app.api.get('/operations/not-an-id')).body.error.message,
    ).toMatch(/^Invalid path parameter 'id'/);
    expect(
      (await app.api.get('/operations/00000000-0000-4000-8000-000000000000'))
        .status,
    ).toBe(404);
    expect(
      (
        await app.api.post(
          '/operations/00000000-0000-4000-8000-000000000000/resume',
        )
      ).status,
    ).toBe(404);
    // Nothing was written.
    expect((await app.api.get('/operations')).body.items).toEqual([]);
    expect(app.audit.filter(e => e.outcome === 'success')).toEqual([]);
  });
});
