import fs from 'node:fs';
import path from 'node:path';
import {
  type BackendFeature,
  coreServices,
  createServiceFactory,
  type PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  mockServices,
  startTestBackend,
  type TestBackend,
} from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { startKubeSim } from '@meshstage/kube-sim';
import istioModule from '@meshstage/plugin-mesh-backend-module-istio';
import type {
  EntityOnboarding,
  OnboardingList,
  OperationListItem,
} from '@meshstage/plugin-mesh-common';
import {
  eventually,
  HttpClusterView,
  kubeResources,
} from '@meshstage/plugin-mesh-node';
import type { Knex } from 'knex';
import request from 'supertest';
import { parseAllDocuments } from 'yaml';
import { kubernetesClustersConfig } from '../__testUtils__/kubernetesConfig';
import { runOperation } from '../__testUtils__/runOperation';
import { migrateMeshDatabase } from '../database';
import { meshTestDatabases } from '../database/__testUtils__/testDatabases';
import { OperationStore } from '../lifecycle';
import { recordingAuditor } from '../lifecycle/__testUtils__/operationsApp';
import { meshPlugin } from '../plugin';
import { flakyMeshModule } from './__testUtils__/FlakyAdapter';
import { ONBOARDING_TASK_ID } from './createOnboardingFeature';

const EXAMPLES = path.resolve(__dirname, '../../../../examples');
const TEAMS = path.join(__dirname, '__fixtures__/cluster');

// Catalog-driven onboarding through the real backend: the mesh plugin with the Istio adapter,
// two simulated clusters (`dev`, `east`) seeded with bookinfo and three team namespaces, Istio
// installed on both through the REST API. The catalog is `catalogServiceMock` over the example
// Components: the real catalog backend would need a location, processing loops and refreshes
// to change an annotation; here the test edits the entity objects the mock serves, which is the
// change the onboarding reads. The scheduled task is triggered through the mock scheduler, so
// every tick is one the test asked for.
// Real rollouts and injections on two clusters: generous when the machine is busy.
jest.setTimeout(180_000);

/** The example catalog's Components, without `meshstage.io/mesh` (each test annotates its own). */
function exampleComponents(): Entity[] {
  const bookinfo = parseAllDocuments(
    fs.readFileSync(path.join(EXAMPLES, 'entities.yaml'), 'utf8'),
  )
    .map(d => d.toJS() as Entity)
    .filter(e => e?.kind === 'Component');
  const teams = ['alpha', 'beta', 'gamma'].map(
    (name): Entity => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name,
        namespace: 'default',
        annotations: { 'backstage.io/kubernetes-id': name },
      },
      spec: { type: 'service', owner: 'guests', lifecycle: 'production' },
    }),
  );
  const all = [...bookinfo, ...teams];
  for (const e of all) {
    e.metadata.namespace = e.metadata.namespace ?? 'default';
    delete e.metadata.annotations?.['meshstage.io/mesh'];
  }
  return all;
}

function annotate(
  entities: Entity[],
  name: string,
  annotations: Record<string, string>,
) {
  const entity = entities.find(e => e.metadata.name === name)!;
  Object.assign(entity.metadata.annotations!, annotations);
  return entity;
}

/** A permission policy that refuses one permission to service principals. */
function denyToServices(permissionName: string) {
  return createServiceFactory({
    service: coreServices.permissions,
    deps: {},
    factory: (): PermissionsService =>
      ({
        async authorize(requests: any[], options: any) {
          return requests.map(r => ({
            result:
              options?.credentials?.principal?.type === 'service' &&
              r.permission?.name === permissionName
                ? AuthorizeResult.DENY
                : AuthorizeResult.ALLOW,
          }));
        },
        async authorizeConditional(requests: any[]) {
          return requests.map(() => ({ result: AuthorizeResult.ALLOW }));
        },
      } as unknown as PermissionsService),
  });
}

describe('catalog-driven onboarding', () => {
  const databases = meshTestDatabases();
  let dev: Awaited<ReturnType<typeof startKubeSim>>;
  let east: Awaited<ReturnType<typeof startKubeSim>>;
  let backend: TestBackend | undefined;

  const clustersConfig = () =>
    kubernetesClustersConfig([
      { name: 'dev', url: dev.url, token: dev.token },
      { name: 'east', url: east.url, token: east.token },
    ]);

  /**
   * A mesh backend with the Istio adapter over both clusters and the given catalog; its
   * scheduler triggers tasks only when asked, its auditor records events.
   */
  async function startMeshBackend(options: {
    entities: Entity[];
    // Config values (JSON).
    onboarding?: Record<string, any>;
    knex?: Knex;
    features?: BackendFeature[];
  }) {
    const scheduler = mockServices.scheduler() as ReturnType<
      typeof mockServices.scheduler
    > & { factory: typeof mockServices.scheduler.factory };
    const audit = recordingAuditor();
    const knex = options.knex ?? (await databases.init('SQLITE_3'));
    backend = await startTestBackend({
      features: [
        meshPlugin,
        istioModule,
        mockServices.database.factory({ knex }),
        catalogServiceMock.factory({ entities: options.entities }),
        scheduler.factory({ skipTaskRunOnStartup: true }),
        createServiceFactory({
          service: coreServices.auditor,
          deps: {},
          factory: () => audit.auditor,
        }),
        mockServices.rootConfig.factory({
          data: {
            mesh: {
              charts: { source: 'builtin' },
              clusterTimeout: { seconds: 30 },
              ...(options.onboarding && { onboarding: options.onboarding }),
            },
            ...clustersConfig(),
          },
        }),
        ...(options.features ?? []),
      ],
    });
    const server = backend.server;
    return {
      server,
      knex,
      audits: audit.events,
      tick: () => scheduler.triggerTask(ONBOARDING_TASK_ID),
      scheduler,
      api: () => request(server),
      async onboarding(query = ''): Promise<OnboardingList> {
        const res = await request(server).get(`/api/mesh/onboarding${query}`);
        expect(res.status).toBe(200);
        return res.body;
      },
      async item(name: string): Promise<EntityOnboarding | undefined> {
        const list = await this.onboarding();
        return list.items.find(
          i => i.entityRef === `component:default/${name}`,
        );
      },
      async operations(): Promise<OperationListItem[]> {
        const res = await request(server).get('/api/mesh/operations');
        expect(res.status).toBe(200);
        return res.body.items;
      },
      /** Polls an operation until it ends. */
      async settled(id: string): Promise<OperationListItem> {
        return eventually(async () => {
          const res = await request(server).get(`/api/mesh/operations/${id}`);
          return ['succeeded', 'failed'].includes(res.body.operation.state)
            ? res.body.operation
            : undefined;
        }, 120_000);
      },
      async entityStatus(name: string) {
        const res = await request(server).get(
          `/api/mesh/entity/component/default/${name}/status`,
        );
        expect(res.status).toBe(200);
        return res.body;
      },
    };
  }

  const view = (cluster: 'dev' | 'east') =>
    new HttpClusterView({
      name: cluster,
      url: (cluster === 'dev' ? dev : east).url,
      token: (cluster === 'dev' ? dev : east).token,
    });

  /** The live pods of a namespace, each with whether it runs Istio's proxy. */
  async function sidecars(cluster: 'dev' | 'east', namespace: string) {
    const pods = await view(cluster).list(kubeResources.pods, { namespace });
    return pods
      .filter(p => !p.metadata.deletionTimestamp)
      .map(p =>
        ((p.spec as any)?.containers ?? []).some(
          (c: { name: string }) => c.name === 'istio-proxy',
        ),
      );
  }

  async function namespaceLabels(cluster: 'dev' | 'east', name: string) {
    const namespaces = await view(cluster).list(kubeResources.namespaces);
    return namespaces.find(n => n.metadata.name === name)?.metadata.labels;
  }

  beforeAll(async () => {
    [dev, east] = await Promise.all([
      startKubeSim({ seed: [path.join(EXAMPLES, 'cluster'), TEAMS] }),
      startKubeSim({ seed: [path.join(EXAMPLES, 'cluster'), TEAMS] }),
    ]);
    // Istio on both clusters, installed the way a platform team would.
    const setup = await startMeshBackend({ entities: [] });
    const installed = await Promise.all(
      ['dev', 'east'].map(cluster =>
        runOperation(setup.server, {
          action: 'install',
          mesh: 'istio',
          cluster,
          version: '1.24.2',
          profile: 'minimal',
        }),
      ),
    );
    const notInstalled = installed.filter(op => op.state !== 'succeeded');
    if (notInstalled.length > 0) {
      throw new Error(
        `Istio install failed: ${notInstalled.map(op => op.error).join('; ')}`,
      );
    }
    await backend?.stop();
    backend = undefined;
  });

  afterEach(async () => {
    await backend?.stop();
    backend = undefined;
  });

  afterAll(async () => {
    await Promise.all([dev?.close(), east?.close()]);
  });

  it('in auto mode, onboards an entity annotated istio (its pods gain sidecars, it shows in sync), and offboards it when the annotation is removed', async () => {
    const entities = exampleComponents();
    const productpage = annotate(entities, 'productpage', {
      'meshstage.io/mesh': 'istio',
      'meshstage.io/cluster': 'dev',
    });
    const mesh = await startMeshBackend({
      entities,
      onboarding: { mode: 'auto' },
    });

    // Before the task runs: pending, with the operation that fixes it.
    const before = await mesh.onboarding();
    expect(before.mode).toBe('auto');
    expect(before.items).toEqual([
      expect.objectContaining({
        entityRef: 'component:default/productpage',
        desiredMesh: 'istio',
        state: 'pending-onboarding',
        reason: 'namespace bookinfo is not enabled for istio injection',
        fixes: [
          {
            action: 'onboard',
            request: {
              action: 'onboard',
              mesh: 'istio',
              cluster: 'dev',
              namespace: 'bookinfo',
            },
          },
        ],
      }),
    ]);
    expect(await sidecars('dev', 'bookinfo')).not.toContain(true);

    // The task starts the onboard operation itself, as the plugin's service principal.
    await mesh.tick();
    const [onboard] = await mesh.operations();
    expect(onboard).toMatchObject({
      action: 'onboard',
      cluster: 'dev',
      mesh: 'istio',
      request: { namespace: 'bookinfo' },
      createdBy: 'service:plugin:mesh',
      cause: {
        kind: 'onboarding',
        entityRefs: ['component:default/productpage'],
      },
    });
    expect(mesh.audits).toContainEqual(
      expect.objectContaining({
        eventId: 'mesh-operation-create',
        meta: expect.objectContaining({
          action: 'onboard',
          cluster: 'dev',
          namespace: 'bookinfo',
          cause: 'onboarding',
          entityRefs: ['component:default/productpage'],
        }),
        outcome: 'success',
        result: expect.objectContaining({ operationId: onboard.id }),
      }),
    );
    expect((await mesh.settled(onboard.id)).state).toBe('succeeded');

    // The restarted pods run Istio's sidecar; the namespace is labelled.
    await eventually(async () => {
      const pods = await sidecars('dev', 'bookinfo');
      return pods.length > 0 && pods.every(Boolean) ? true : undefined;
    }, 120_000);
    expect(await namespaceLabels('dev', 'bookinfo')).toMatchObject({
      'istio-injection': 'enabled',
    });
    const synced = await eventually(async () => {
      const item = await mesh.item('productpage');
      return item?.state === 'in-sync' ? item : undefined;
    }, 120_000);
    expect(synced.operation).toMatchObject({
      id: onboard.id,
      action: 'onboard',
      state: 'succeeded',
    });
    expect(synced.fixes).toEqual([]);
    // The entity status carries the same state, beside its pods' sidecars.
    const status = await eventually(async () => {
      const s = await mesh.entityStatus('productpage');
      const onDev = s.clusters.find((c: any) => c.cluster === 'dev');
      return onDev.pods.length === 1 ? s : undefined;
    });
    expect(status.onboarding).toMatchObject({
      state: 'in-sync',
      operation: { id: onboard.id },
    });
    expect(
      status.clusters
        .find((c: any) => c.cluster === 'dev')
        .pods.map((p: any) => p.mesh),
    ).toEqual(['istio']);

    // In sync: the next tick starts nothing.
    await mesh.tick();
    expect(await mesh.operations()).toHaveLength(1);

    // The annotation goes: the entity is offboarded.
    delete productpage.metadata.annotations!['meshstage.io/mesh'];
    const leaving = await mesh.item('productpage');
    expect(leaving).toMatchObject({
      state: 'pending-offboarding',
      reason:
        'MeshStage onboarded namespace bookinfo to istio for this entity, which no longer asks for a mesh',
      fixes: [{ action: 'offboard' }],
    });
    await mesh.tick();
    const ops = await mesh.operations();
    expect(ops.map(o => [o.action, o.cause?.entityRefs])).toEqual([
      ['offboard', ['component:default/productpage']],
      ['onboard', ['component:default/productpage']],
    ]);
    expect((await mesh.settled(ops[0].id)).state).toBe('succeeded');
    await eventually(async () => {
      const pods = await sidecars('dev', 'bookinfo');
      return pods.length > 0 && !pods.some(Boolean) ? true : undefined;
    }, 120_000);
    expect(await namespaceLabels('dev', 'bookinfo')).not.toHaveProperty(
      'istio-injection',
    );
    // No longer onboarded: out of the list, no onboarding state on its status.
    await eventually(async () =>
      (await mesh.item('productpage')) === undefined ? true : undefined,
    );
    expect((await mesh.entityStatus('productpage')).onboarding).toBeUndefined();
    await mesh.tick();
    expect(await mesh.operations()).toHaveLength(2);
  });

  it('in manual mode (the default), shows the state and never creates an operation', async () => {
    const entities = exampleComponents();
    annotate(entities, 'beta', {
      'meshstage.io/mesh': 'istio',
      'meshstage.io/cluster': 'east',
    });
    const mesh = await startMeshBackend({ entities });

    const list = await mesh.onboarding();
    expect(list.mode).toBe('manual');
    expect(list.items).toEqual([
      expect.objectContaining({
        entityRef: 'component:default/beta',
        state: 'pending-onboarding',
        fixes: [
          {
            action: 'onboard',
            request: {
              action: 'onboard',
              mesh: 'istio',
              cluster: 'east',
              namespace: 'team-b',
            },
          },
        ],
      }),
    ]);
    // The filters narrow it; the entity status carries the same state.
    expect((await mesh.onboarding('?cluster=dev')).items).toEqual([]);
    expect(
      (await mesh.onboarding('?state=pending-onboarding&mesh=istio')).items,
    ).toHaveLength(1);
    expect((await mesh.onboarding('?state=in-sync')).items).toEqual([]);
    expect((await mesh.entityStatus('beta')).onboarding).toMatchObject({
      state: 'pending-onboarding',
      fixes: [{ action: 'onboard' }],
    });

    // No task to run: nothing starts operations.
    expect(
      (await mesh.scheduler.getScheduledTasks()).map(t => t.id),
    ).not.toContain(ONBOARDING_TASK_ID);
    await expect(mesh.tick()).rejects.toThrow(/not found/i);
    expect(await mesh.operations()).toEqual([]);
    expect(await namespaceLabels('east', 'team-b')).not.toHaveProperty(
      'istio-injection',
    );

    // Bad filters are a 400 naming the parameter.
    const badState = await mesh.api().get('/api/mesh/onboarding?state=synced');
    expect(badState.status).toBe(400);
    expect(badState.body.error.message).toMatch(
      /^Invalid query parameter 'state'/,
    );
    const badCluster = await mesh
      .api()
      .get('/api/mesh/onboarding?cluster=prod');
    expect(badCluster.status).toBe(400);
    expect(badCluster.body.error.message).toBe(
      "Unknown cluster 'prod' in query parameter 'cluster'; known clusters: dev, east",
    );
  });

  it('runs at most maxConcurrent automatic operations at a time', async () => {
    // An onboarding operation another backend instance is running (fresh heartbeat, on a lock
    // of its own) takes the only slot.
    const knex = await databases.init('SQLITE_3');
    await migrateMeshDatabase(knex);
    const store = new OperationStore(knex);
    const elsewhere = {
      action: 'onboard' as const,
      mesh: 'linkerd',
      cluster: 'east',
      namespace: 'team-b',
    };
    const other = await store.create({
      request: elsewhere,
      plan: { request: elsewhere, summary: 'Onboard team-b', steps: [] },
      createdBy: 'service:plugin:mesh',
      owner: 'other-instance',
      cause: { kind: 'onboarding', entityRefs: ['component:default/beta'] },
    });
    await knex('mesh_operations')
      .where({ id: other.id })
      .update({ state: 'running', heartbeat_at: new Date().toISOString() });

    // alpha runs on both clusters: two onboard operations, on two different locks.
    const entities = exampleComponents();
    annotate(entities, 'alpha', { 'meshstage.io/mesh': 'istio' });
    const mesh = await startMeshBackend({
      entities,
      knex,
      onboarding: { mode: 'auto', maxConcurrent: 1 },
    });
    expect((await mesh.item('alpha'))?.fixes).toHaveLength(2);
    await mesh.tick();
    expect((await mesh.operations()).map(o => o.id)).toEqual([other.id]);

    // Once it has ended, one of the two starts, and only one.
    await store.finish(other.id, 'succeeded', { releaseLock: true });
    await mesh.tick();
    const first = (await mesh.operations()).filter(o => o.id !== other.id);
    expect(first.map(o => [o.cluster, o.request])).toEqual([
      ['dev', expect.objectContaining({ namespace: 'team-a' })],
    ]);
    expect((await mesh.settled(first[0].id)).state).toBe('succeeded');
    await eventually(async () => {
      const item = await mesh.item('alpha');
      return item?.targets.find(t => t.cluster === 'dev')?.state === 'in-sync'
        ? true
        : undefined;
    }, 120_000);

    await mesh.tick();
    const second = (await mesh.operations()).filter(o => o.id !== other.id);
    expect(second.map(o => o.cluster)).toEqual(['east', 'dev']);
    expect((await mesh.settled(second[0].id)).state).toBe('succeeded');
    await eventually(
      async () =>
        (await mesh.item('alpha'))?.state === 'in-sync' ? true : undefined,
      120_000,
    );
  });

  it('skips an entity while another operation holds its cluster and mesh, and onboards it once the lock is free', async () => {
    // An install on east that a dead backend left interrupted: it keeps the lock.
    const knex = await databases.init('SQLITE_3');
    await migrateMeshDatabase(knex);
    const store = new OperationStore(knex);
    const install = {
      action: 'install' as const,
      mesh: 'istio',
      cluster: 'east',
      version: '1.24.2',
    };
    const holder = await store.create({
      request: install,
      plan: { request: install, summary: 'Install Istio', steps: [] },
      createdBy: 'user:default/ann',
      owner: 'dead-instance',
    });
    await knex('mesh_operations')
      .where({ id: holder.id })
      .update({ state: 'interrupted', error: 'Interrupted: test' });

    const entities = exampleComponents();
    annotate(entities, 'gamma', {
      'meshstage.io/mesh': 'istio',
      'meshstage.io/cluster': 'east',
    });
    const mesh = await startMeshBackend({
      entities,
      knex,
      onboarding: { mode: 'auto' },
    });

    await mesh.tick();
    expect((await mesh.operations()).map(o => o.id)).toEqual([holder.id]);
    expect((await mesh.item('gamma'))?.state).toBe('pending-onboarding');

    // Someone reverts the interrupted install: the lock is free, the next tick onboards.
    const revert = await mesh
      .api()
      .post(`/api/mesh/operations/${holder.id}/revert`)
      .send({});
    expect(revert.status).toBe(202);
    await eventually(async () => {
      const res = await mesh.api().get(`/api/mesh/operations/${holder.id}`);
      return res.body.operation.state === 'reverted' ? true : undefined;
    });
    await mesh.tick();
    const [onboard] = await mesh.operations();
    expect(onboard).toMatchObject({
      action: 'onboard',
      cluster: 'east',
      request: { namespace: 'team-c' },
      cause: { entityRefs: ['component:default/gamma'] },
    });
    expect((await mesh.settled(onboard.id)).state).toBe('succeeded');
  });

  it('backs off after a failed operation and after a refused one: the next tick does not retry', async () => {
    // The flaky mesh's onboarding fails on dev (its operation times out waiting) and is refused
    // by its planner on east (not installed there).
    const entities = exampleComponents();
    annotate(entities, 'gamma', {
      'meshstage.io/mesh': 'flaky',
      'meshstage.io/cluster': 'dev',
    });
    annotate(entities, 'beta', {
      'meshstage.io/mesh': 'flaky',
      'meshstage.io/cluster': 'east',
    });
    const mesh = await startMeshBackend({
      entities,
      onboarding: {
        mode: 'auto',
        backoff: { initial: { hours: 1 }, max: { hours: 4 } },
      },
      features: [flakyMeshModule('dev')],
    });

    await mesh.tick();
    const [failing] = await mesh.operations();
    expect(failing).toMatchObject({
      mesh: 'flaky',
      cluster: 'dev',
      cause: { entityRefs: ['component:default/gamma'] },
    });
    const failed = await mesh.settled(failing.id);
    expect(failed.state).toBe('failed');
    // The refusal is audited as a failed creation, with the planner's reason.
    const refusals = () =>
      mesh.audits.filter(
        e =>
          e.eventId === 'mesh-operation-create' &&
          e.outcome === 'fail' &&
          (e.meta?.entityRefs as string[])?.includes('component:default/beta'),
      );
    expect(refusals()).toEqual([
      expect.objectContaining({ error: 'Flaky is not installed on east' }),
    ]);

    // The next tick neither retries the failed operation nor the refused one.
    await mesh.tick();
    expect((await mesh.operations()).map(o => o.id)).toEqual([failing.id]);
    expect(refusals()).toHaveLength(1);

    const gamma = (await mesh.item('gamma'))!;
    expect(gamma.state).toBe('pending-onboarding');
    expect(gamma.operation).toMatchObject({ id: failing.id, state: 'failed' });
    expect(gamma.lastError).toBe(failed.error);
    expect(Date.parse(gamma.nextAttemptAt!)).toBe(
      Date.parse(failed.finishedAt as string) + 3_600_000,
    );
    const beta = (await mesh.item('beta'))!;
    expect(beta.lastError).toBe('Flaky is not installed on east');
    expect(Date.parse(beta.nextAttemptAt!)).toBeGreaterThan(Date.now());
  });

  it('checks the permission as the plugin’s service principal: denied, nothing starts and the refusal is audited', async () => {
    const entities = exampleComponents();
    annotate(entities, 'beta', {
      'meshstage.io/mesh': 'istio',
      'meshstage.io/cluster': 'east',
    });
    const mesh = await startMeshBackend({
      entities,
      onboarding: { mode: 'auto' },
      features: [denyToServices('mesh.operation.onboard')],
    });
    await mesh.tick();
    expect(await mesh.operations()).toEqual([]);
    expect(mesh.audits).toEqual([
      expect.objectContaining({
        eventId: 'mesh-operation-create',
        outcome: 'fail',
        error: 'Not allowed (permission mesh.operation.onboard)',
      }),
    ]);
    expect((await mesh.item('beta'))?.lastError).toBe(
      'Not allowed (permission mesh.operation.onboard)',
    );
  });
});
