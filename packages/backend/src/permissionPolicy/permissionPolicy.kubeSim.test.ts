import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { authServiceFactory } from '@backstage/backend-defaults/auth';
import { databaseServiceFactory } from '@backstage/backend-defaults/database';
import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import { permissionsServiceFactory } from '@backstage/backend-defaults/permissions';
import { userInfoServiceFactory } from '@backstage/backend-defaults/userInfo';
import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  mockServices,
  startTestBackend,
  type TestBackend,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { startKubeSim } from '@meshstage/kube-sim';
import authPlugin from '@backstage/plugin-auth-backend';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import permissionPlugin from '@backstage/plugin-permission-backend';
import meshPlugin from '@meshstage/plugin-mesh-backend';
import istioModule from '@meshstage/plugin-mesh-backend-module-istio';
import { MeshExamplePermissionPolicy } from './MeshExamplePermissionPolicy';
import { readMeshExamplePolicyOptions } from './module';
import { TEST_USER_HEADER, testSignInModule } from './__testUtils__/testSignIn';

// Issue 17, "Permissions": the example policy in a real backend. Real auth (users sign in through
// a test provider that resolves them in the catalog, so their tokens carry their groups), the real
// permission backend with the policy, the real catalog holding the owners, the mesh plugin with
// its adapters, kube-sim as the cluster and SQLite files. alice (team-a, owner of component a) and
// bob (the platform group) act through the REST API; mallory is a user a test wrapper around the
// policy denies everything, to show every mutating route refusing.

jest.setTimeout(300_000);

const ALICE = 'user:default/alice';
const BOB = 'user:default/bob';
const MALLORY = 'user:default/mallory';

const CATALOG = `
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: { name: platform }
spec: { type: team, children: [] }
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: { name: team-a }
spec: { type: team, children: [] }
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: { name: team-b }
spec: { type: team, children: [] }
---
apiVersion: backstage.io/v1alpha1
kind: User
metadata: { name: alice }
spec: { memberOf: [team-a] }
---
apiVersion: backstage.io/v1alpha1
kind: User
metadata: { name: bob }
spec: { memberOf: [platform] }
---
apiVersion: backstage.io/v1alpha1
kind: User
metadata: { name: mallory }
spec: { memberOf: [team-a] }
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: a
  annotations:
    backstage.io/kubernetes-id: a
    backstage.io/kubernetes-namespace: team-a
    meshstage.io/mesh: istio
spec: { type: service, lifecycle: production, owner: group:default/team-a }
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: b
  annotations:
    backstage.io/kubernetes-id: b
    backstage.io/kubernetes-namespace: team-b
    meshstage.io/mesh: istio
spec: { type: service, lifecycle: production, owner: group:default/team-b }
`;

const deployment = (name: string, namespace: string) => `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: ${namespace}
  labels: { backstage.io/kubernetes-id: ${name} }
spec:
  replicas: 1
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata:
      labels: { app: ${name}, backstage.io/kubernetes-id: ${name} }
    spec:
      containers: [{ name: ${name}, image: example.com/${name}:1 }]
`;

const CLUSTER = `
apiVersion: v1
kind: Namespace
metadata: { name: team-a }
---
apiVersion: v1
kind: Namespace
metadata: { name: team-b }
---
${deployment('a', 'team-a')}
---
${deployment('b', 'team-b')}
`;

/** The example policy, except that it denies everything to mallory. */
const testPolicyModule = createBackendModule({
  pluginId: 'permission',
  moduleId: 'test-policy',
  register(reg) {
    reg.registerInit({
      deps: { policy: policyExtensionPoint, config: coreServices.rootConfig },
      async init({ policy, config }) {
        const example = new MeshExamplePermissionPolicy(
          readMeshExamplePolicyOptions(config),
        );
        policy.setPolicy({
          handle: async (request, user) =>
            user?.info.userEntityRef === MALLORY
              ? { result: AuthorizeResult.DENY }
              : example.handle(request, user),
        });
      },
    });
  },
});

/** Polls until `fn` returns a value other than undefined; a minute and a half at most. */
async function eventually<T>(
  fn: () => Promise<T | undefined>,
  what: string,
): Promise<T> {
  const deadline = Date.now() + 90_000;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await fn();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise(r => setTimeout(r, 500));
  }
  throw new Error(`Timed out waiting for ${what}${last ? `: ${last}` : ''}`);
}

describe('the example permission policy', () => {
  let dir: string;
  let sim: Awaited<ReturnType<typeof startKubeSim>>;
  let echo: http.Server;
  let backend: TestBackend;
  let base: string;
  const tokens: Record<string, string> = {};
  /** The ownership refs each sign-in resolved. */
  const ownership: Record<string, string[]> = {};

  /** A request to the mesh API, as a user (or without credentials). */
  async function api(
    user: string | undefined,
    method: string,
    route: string,
    body?: unknown,
  ): Promise<{ status: number; body: any }> {
    const res = await fetch(`${base}/api/mesh${route}`, {
      method,
      headers: {
        ...(user ? { Authorization: `Bearer ${tokens[user]}` } : {}),
        ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    let parsed: any;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = text;
    }
    return { status: res.status, body: parsed };
  }

  /** Signs a user in through the test provider, once the catalog knows the user. */
  function signIn(user: string) {
    return eventually(async () => {
      const res = await fetch(`${base}/api/auth/test/refresh`, {
        headers: { [TEST_USER_HEADER]: user },
      });
      if (!res.ok) return undefined;
      return ((await res.json()) as any).backstageIdentity;
    }, `${user} to sign in`);
  }

  /** The operation once it has finished. */
  async function finished(id: string) {
    return eventually(async () => {
      const { body } = await api(BOB, 'GET', `/operations/${id}`);
      return ['succeeded', 'failed', 'reverted', 'revert-failed'].includes(
        body.operation?.state,
      )
        ? body.operation
        : undefined;
    }, `operation ${id}`);
  }

  /** Rows of every table of the mesh plugin's SQLite database. */
  function meshRows(): Record<string, number> {
    const db = new DatabaseSync(path.join(dir, 'db', 'mesh.sqlite'), {
      readOnly: true,
    });
    try {
      const tables = db
        .prepare(
          "select name from sqlite_master where type = 'table' and name like 'mesh%'",
        )
        .all() as { name: string }[];
      return Object.fromEntries(
        tables.map(({ name }) => [
          name,
          (
            db.prepare(`select count(*) as n from "${name}"`).get() as {
              n: number;
            }
          ).n,
        ]),
      );
    } finally {
      db.close();
    }
  }

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'meshstage-policy-'));
    fs.writeFileSync(path.join(dir, 'catalog.yaml'), CATALOG);
    fs.mkdirSync(path.join(dir, 'cluster'));
    fs.writeFileSync(path.join(dir, 'cluster', 'objects.yaml'), CLUSTER);
    sim = await startKubeSim({ seed: [path.join(dir, 'cluster')] });
    echo = http.createServer((_req, res) => res.end('ok'));
    await new Promise<void>(r => echo.listen(0, '127.0.0.1', r));

    backend = await startTestBackend({
      features: [
        authServiceFactory,
        httpAuthServiceFactory,
        userInfoServiceFactory,
        permissionsServiceFactory,
        databaseServiceFactory,
        mockServices.rootConfig.factory({
          data: {
            app: { baseUrl: 'http://localhost:3000' },
            backend: {
              database: {
                client: 'better-sqlite3',
                connection: { directory: path.join(dir, 'db') },
              },
            },
            auth: { environment: 'development', providers: { test: {} } },
            permission: { enabled: true },
            catalog: {
              rules: [{ allow: ['Component', 'Group', 'User', 'Location'] }],
              locations: [
                { type: 'file', target: path.join(dir, 'catalog.yaml') },
              ],
            },
            meshstage: {
              permissionPolicy: { platformGroup: 'group:default/platform' },
            },
            kubernetes: {
              clusterLocatorMethods: [
                {
                  type: 'config',
                  clusters: [
                    {
                      name: 'dev',
                      url: sim.url,
                      authProvider: 'serviceAccount',
                      serviceAccountToken: sim.token,
                      skipTLSVerify: true,
                    },
                  ],
                },
              ],
            },
            mesh: { benchmark: { allowedHosts: ['127.0.0.1'] } },
          },
        }),
        authPlugin,
        testSignInModule,
        catalogPlugin,
        permissionPlugin,
        testPolicyModule,
        meshPlugin,
        istioModule,
      ],
    });
    base = `http://localhost:${(backend.server.address() as AddressInfo).port}`;

    // Sign in once the catalog knows the users and their groups.
    for (const user of [ALICE, BOB, MALLORY]) {
      const identity = await signIn(user);
      tokens[user] = identity.token;
      ownership[user] = identity.identity.ownershipEntityRefs;
    }
    // ... and once it has stitched the components' owners.
    await eventually(async () => {
      const res = await fetch(
        `${base}/api/catalog/entities/by-name/component/default/b`,
        { headers: { Authorization: `Bearer ${tokens[BOB]}` } },
      );
      const entity = res.ok ? ((await res.json()) as any) : undefined;
      return entity?.relations?.some((r: any) => r.type === 'ownedBy')
        ? true
        : undefined;
    }, 'the catalog to relate the components to their owners');
  });

  afterAll(async () => {
    await backend?.stop();
    await sim?.close();
    await new Promise(r => echo?.close(r));
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('signs alice and bob in with the groups the catalog gives them', () => {
    expect(ownership[ALICE]).toEqual([ALICE, 'group:default/team-a']);
    expect(ownership[BOB]).toEqual([BOB, 'group:default/platform']);
  });

  it('lets bob, of the platform group, install Istio, and refuses alice every platform action', async () => {
    const install = {
      action: 'install',
      mesh: 'istio',
      cluster: 'dev',
      version: '1.29.6',
    };
    const refused = await api(ALICE, 'POST', '/operations', install);
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toBe(
      'Not allowed (permission mesh.operation.install)',
    );

    const started = await api(BOB, 'POST', '/operations', install);
    expect(started.status).toBe(202);
    const op = await finished(started.body.operation.id);
    expect([op.state, op.createdBy]).toEqual(['succeeded', BOB]);

    for (const body of [
      { action: 'upgrade', toVersion: '1.30.3', strategy: 'canary' },
      { action: 'rollback' },
      { action: 'uninstall' },
      { action: 'reconcile' },
    ]) {
      const res = await api(ALICE, 'POST', '/operations', {
        mesh: 'istio',
        cluster: 'dev',
        ...body,
      });
      expect([body.action, res.status, res.body.error?.message]).toEqual([
        body.action,
        403,
        `Not allowed (permission mesh.operation.${body.action})`,
      ]);
    }
    // Reading stays open to every signed-in user: she sees bob's install.
    const list = await api(ALICE, 'GET', '/operations');
    expect(list.status).toBe(200);
    expect(list.body.items.map((o: any) => o.id)).toEqual([op.id]);
  });

  it("lets alice onboard her component's namespace, and not component b's", async () => {
    const onboard = (namespace: string) =>
      api(ALICE, 'POST', '/operations', {
        action: 'onboard',
        mesh: 'istio',
        cluster: 'dev',
        namespace,
      });
    // Pods of a and b must exist for the namespaces to be theirs.
    await eventually(async () => {
      const res = await fetch(`${sim.url}/api/v1/pods`, {
        headers: { Authorization: `Bearer ${sim.token}` },
      });
      const pods = ((await res.json()) as any).items as any[];
      return pods.some(p => p.metadata.namespace === 'team-b')
        ? true
        : undefined;
    }, 'the deployments’ pods');

    const other = await onboard('team-b');
    expect(other.status).toBe(403);
    expect(other.body.error.message).toBe(
      'Not allowed (permission mesh.operation.onboard, or mesh.entity.onboard on component:default/b)',
    );

    const own = await onboard('team-a');
    expect(own.status).toBe(202);
    const op = await finished(own.body.operation.id);
    expect([op.state, op.createdBy, op.summary]).toEqual([
      'succeeded',
      ALICE,
      'Onboard namespace team-a to Istio on dev',
    ]);

    // Offboarding is an entity permission of its own, granted to owners the same way.
    const back = await api(ALICE, 'POST', '/operations', {
      action: 'offboard',
      mesh: 'istio',
      cluster: 'dev',
      namespace: 'team-b',
    });
    expect(back.status).toBe(403);
  });

  it("lets alice resume and revert her own failed onboarding, and not one in component b's namespace", async () => {
    // The next restart of a Deployment in the namespace is refused: the operation fails there.
    const failRestart = (namespace: string) =>
      sim.faults.failNext({
        status: 403,
        match: {
          verbs: ['patch'],
          resources: ['deployments'],
          namespaces: [namespace],
        },
      });
    const failed = async (user: string, body: Record<string, unknown>) => {
      const res = await api(user, 'POST', '/operations', {
        mesh: 'istio',
        cluster: 'dev',
        ...body,
      });
      expect(res.status).toBe(202);
      const op = await finished(res.body.operation.id);
      expect(op.state).toBe('failed');
      return op.id as string;
    };

    failRestart('team-a');
    const offboard = await failed(ALICE, {
      action: 'offboard',
      namespace: 'team-a',
    });
    const resumed = await api(
      ALICE,
      'POST',
      `/operations/${offboard}/resume`,
      {},
    );
    expect(resumed.status).toBe(202);
    expect((await finished(offboard)).state).toBe('succeeded');

    failRestart('team-a');
    const onboard = await failed(ALICE, {
      action: 'onboard',
      namespace: 'team-a',
    });
    const reverted = await api(
      ALICE,
      'POST',
      `/operations/${onboard}/revert`,
      {},
    );
    expect(reverted.status).toBe(202);
    expect((await finished(onboard)).state).toBe('reverted');

    // Bob (platform) onboards b's namespace and it fails: not alice's to resume or revert.
    failRestart('team-b');
    const others = await failed(BOB, {
      action: 'onboard',
      namespace: 'team-b',
    });
    for (const verb of ['resume', 'revert']) {
      const res = await api(ALICE, 'POST', `/operations/${others}/${verb}`, {});
      expect([res.status, res.body.error.message]).toEqual([
        403,
        `Not allowed (permission mesh.operation.${verb}, or mesh.entity.onboard on component:default/b)`,
      ]);
    }
    // Bob, of the platform group, may: the namespace goes back as it was.
    const byBob = await api(BOB, 'POST', `/operations/${others}/revert`, {});
    expect(byBob.status).toBe(202);
    expect((await finished(others)).state).toBe('reverted');
  });

  let aliceProfileId: string;
  let aliceRunId: string;

  it("lets alice write and run component a's benchmark, and not component b's", async () => {
    const profile = (entityRef: string) => ({
      name: `echo of ${entityRef}`,
      entityRef,
      endpoints: [
        {
          url: `http://127.0.0.1:${(echo.address() as AddressInfo).port}/`,
        },
      ],
      connections: 1,
      requestCount: 20,
    });
    const created = await api(
      ALICE,
      'POST',
      '/benchmark/profiles',
      profile('component:default/a'),
    );
    expect(created.status).toBe(201);
    aliceProfileId = created.body.id;
    const run = await api(ALICE, 'POST', '/benchmark/runs', {
      profileId: aliceProfileId,
    });
    expect(run.status).toBe(202);
    aliceRunId = run.body.id;
    const done = await eventually(async () => {
      const { body } = await api(
        ALICE,
        'GET',
        `/benchmark/runs/${run.body.id}`,
      );
      return ['succeeded', 'failed'].includes(body.state) ? body : undefined;
    }, 'alice’s run');
    expect([done.state, done.createdBy, done.result.requests.total]).toEqual([
      'succeeded',
      ALICE,
      20,
    ]);

    const other = await api(
      ALICE,
      'POST',
      '/benchmark/profiles',
      profile('component:default/b'),
    );
    expect(other.status).toBe(403);
    expect(other.body.error.message).toBe(
      'Not allowed (permission mesh.benchmark.profile.write, or mesh.entity.benchmark.profile.write on component:default/b)',
    );
    const inline = await api(ALICE, 'POST', '/benchmark/runs', {
      profile: profile('component:default/b'),
    });
    expect(inline.status).toBe(403);
    // Moving her profile to component b needs the right on b as well.
    const moved = await api(
      ALICE,
      'PUT',
      `/benchmark/profiles/${aliceProfileId}`,
      profile('component:default/b'),
    );
    expect(moved.status).toBe(403);
    // A profile of no entity is the platform's.
    const global = await api(ALICE, 'POST', '/benchmark/profiles', {
      ...profile('component:default/a'),
      entityRef: undefined,
    });
    expect(global.status).toBe(403);
  });

  it('refuses every mutating route without credentials (401) and to a denied user (403), storing nothing', async () => {
    const { body: ops } = await api(BOB, 'GET', '/operations?limit=1');
    const opId = ops.items[0].id;
    const echoUrl = `http://127.0.0.1:${(echo.address() as AddressInfo).port}/`;
    const profileB = {
      name: 'b',
      entityRef: 'component:default/b',
      endpoints: [{ url: echoUrl }],
      requestCount: 5,
    };
    const op = (body: object) => ({ mesh: 'istio', cluster: 'dev', ...body });
    // Every POST, PUT, PATCH and DELETE route of the mesh plugin's routers, with a valid body.
    // `alice`: what the example policy answers her (403 where she is not allowed).
    const routes: {
      method: string;
      path: string;
      body?: unknown;
      alice?: number;
    }[] = [
      {
        method: 'POST',
        path: '/operations',
        body: op({ action: 'install', version: '1.30.3' }),
        alice: 403,
      },
      {
        method: 'POST',
        path: '/operations',
        body: op({
          action: 'upgrade',
          toVersion: '1.30.3',
          strategy: 'canary',
        }),
        alice: 403,
      },
      {
        method: 'POST',
        path: '/operations',
        body: op({ action: 'rollback' }),
        alice: 403,
      },
      {
        method: 'POST',
        path: '/operations',
        body: op({ action: 'uninstall' }),
        alice: 403,
      },
      {
        method: 'POST',
        path: '/operations',
        body: op({ action: 'reconcile' }),
        alice: 403,
      },
      {
        method: 'POST',
        path: '/operations',
        body: op({ action: 'onboard', namespace: 'team-b' }),
        alice: 403,
      },
      {
        method: 'POST',
        path: '/operations',
        body: op({ action: 'offboard', namespace: 'team-b' }),
        alice: 403,
      },
      {
        method: 'POST',
        path: '/operations',
        body: op({ action: 'deploy-sample', sample: 'bookinfo' }),
        alice: 403,
      },
      {
        method: 'POST',
        path: '/operations',
        body: op({ action: 'remove-sample', sample: 'bookinfo' }),
        alice: 403,
      },
      {
        method: 'POST',
        path: '/operations',
        body: op({ action: 'set-tag', tag: 'prod', revision: 'default' }),
        alice: 403,
      },
      {
        method: 'POST',
        path: '/operations',
        body: op({ action: 'remove-tag', tag: 'prod' }),
        alice: 403,
      },
      {
        method: 'POST',
        path: '/operations',
        body: { ...op({ action: 'rotate-issuer' }), mesh: 'linkerd' },
        alice: 403,
      },
      {
        method: 'POST',
        path: `/operations/${opId}/resume`,
        body: {},
        alice: 403,
      },
      {
        method: 'POST',
        path: `/operations/${opId}/revert`,
        body: {},
        alice: 403,
      },
      { method: 'POST', path: '/drift/check', body: op({}) },
      {
        method: 'POST',
        path: '/validate',
        body: { files: [{ name: 'a.yaml', content: 'kind: Namespace' }] },
      },
      {
        method: 'POST',
        path: '/validation/scans',
        body: { cluster: 'dev' },
        alice: 403,
      },
      {
        method: 'POST',
        path: '/benchmark/profiles',
        body: profileB,
        alice: 403,
      },
      {
        method: 'PUT',
        path: `/benchmark/profiles/${aliceProfileId}`,
        body: profileB,
        alice: 403,
      },
      {
        method: 'DELETE',
        path: `/benchmark/profiles/${aliceProfileId}`,
      },
      {
        method: 'POST',
        path: '/benchmark/runs',
        body: { profile: profileB },
        alice: 403,
      },
      {
        method: 'POST',
        path: `/benchmark/runs/${aliceRunId}/cancel`,
        body: {},
      },
    ];
    const before = meshRows();
    const outcomes: string[] = [];
    for (const r of routes) {
      const what = `${r.method} ${r.path} ${JSON.stringify(r.body ?? '')}`;
      const anonymous = await api(undefined, r.method, r.path, r.body);
      const denied = await api(MALLORY, r.method, r.path, r.body);
      outcomes.push(`${what} → ${anonymous.status} ${denied.status}`);
      expect(denied.body.error?.name).toBe('NotAllowedError');
      if (r.alice) {
        const alice = await api(ALICE, r.method, r.path, r.body);
        outcomes.push(`${what} alice → ${alice.status}`);
      }
    }
    expect(outcomes).toEqual(
      routes.flatMap(r => {
        const what = `${r.method} ${r.path} ${JSON.stringify(r.body ?? '')}`;
        return [
          `${what} → 401 403`,
          ...(r.alice ? [`${what} alice → ${r.alice}`] : []),
        ];
      }),
    );
    expect(meshRows()).toEqual(before);
  });
});
