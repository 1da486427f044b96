import { kubeResources, eventually } from '@meshstage/plugin-mesh-node';
import type { KubeObject } from '@meshstage/plugin-mesh-node';
import { startKubeSim, type KubeSim } from '@meshstage/kube-sim';
import { createKubeConfig } from '../createKubeConfig';
import { KubeClusterClient } from '../KubeClusterClient';
import { KubeClusterWriter } from '../ClusterWriterKube';
import { createKubeRequest } from '../kubeRequest';
import { createReflectorTransport } from './createReflectorTransport';
import { DEFAULT_WATCH_CACHE } from './readWatchCacheConfig';
import {
  WatchedClusterClient,
  type WatchCacheSettings,
} from './WatchedClusterClient';
import { startTcpProxy } from './__testUtils__/tcpProxy';

// A simulated API server, a proxy and watches: generous on a loaded machine.
jest.setTimeout(120_000);

type Sim = KubeSim;

function kubeConfig(url: string, token: string) {
  return createKubeConfig({
    name: 'dev',
    url,
    authProvider: 'serviceAccount',
    serviceAccountToken: token,
    skipTLSVerify: true,
  });
}

/** The view under test reads through the proxy; writes and direct reads go straight to the sim. */
function setup(
  sim: Sim,
  proxyUrl: string,
  settings: Partial<WatchCacheSettings> = {},
) {
  const cluster = { name: 'dev', url: proxyUrl };
  const kc = kubeConfig(proxyUrl, sim.token);
  const view = new WatchedClusterClient(
    new KubeClusterClient(cluster, kc, 5_000),
    createReflectorTransport(
      cluster,
      kc,
      createKubeRequest(cluster, kc, 5_000),
      5_000,
    ),
    { ...DEFAULT_WATCH_CACHE, ...settings },
  );
  const straight = { name: 'dev', url: sim.url };
  const skc = kubeConfig(sim.url, sim.token);
  return {
    view,
    writer: new KubeClusterWriter(straight, skc, 10_000),
    direct: new KubeClusterClient(straight, skc, 10_000),
  };
}

const configMap = (name: string, data: Record<string, string> = {}) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'default', labels: { suite: 'watch' } },
  data,
});

/** Polls an expectation until it holds (a watch delivers changes soon, not at once). */
const until = (check: () => Promise<unknown>, timeoutMs = 60_000) =>
  eventually(async () => {
    await check();
    return true;
  }, timeoutMs);

const names = (objects: KubeObject[]) => objects.map(o => o.metadata.name);

/** What a direct list returns, in the view's form (no managedFields). */
async function liveNames(direct: KubeClusterClient) {
  return names(
    await direct.list(kubeResources.configMaps, {
      namespace: 'default',
      labelSelector: 'suite=watch',
    }),
  );
}

const watchedNames = async (view: WatchedClusterClient) =>
  names(
    await view.list(kubeResources.configMaps, {
      namespace: 'default',
      labelSelector: 'suite=watch',
    }),
  );

describe('WatchedClusterClient against a simulated API server', () => {
  let sim: Sim;
  let proxy: Awaited<ReturnType<typeof startTcpProxy>>;
  let view: WatchedClusterClient | undefined;

  beforeEach(async () => {
    sim = await startKubeSim();
    proxy = await startTcpProxy(sim.url);
  });

  afterEach(async () => {
    view?.stop();
    view = undefined;
    await proxy.close();
    await sim.close();
  });

  it('lists a type once, then answers from memory and follows changes through its watch', async () => {
    const s = setup(sim, proxy.url);
    view = s.view;
    await s.writer.apply(configMap('one'));
    expect(await watchedNames(view)).toEqual(['one']);
    for (let i = 0; i < 20; i++) await watchedNames(view);
    await s.writer.apply(configMap('two'));
    await s.writer.apply(configMap('one', { changed: 'yes' }));
    await until(async () =>
      expect(await watchedNames(view!)).toEqual(['one', 'two']),
    );
    await until(async () => {
      const [one] = await view!.list(kubeResources.configMaps, {
        namespace: 'default',
        labelSelector: 'suite=watch',
      });
      expect(one.data).toEqual({ changed: 'yes' });
    });
    await s.writer.delete({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      namespace: 'default',
      name: 'two',
    });
    await until(async () => expect(await watchedNames(view!)).toEqual(['one']));
    // 22 reads, one list and one watch of configmaps: the cluster was asked twice.
    const configMapRequests = proxy.requests.filter(r =>
      r.includes('/configmaps'),
    );
    expect(configMapRequests).toEqual([
      expect.stringMatching(/^GET \/api\/v1\/configmaps\?limit=500$/),
      expect.stringMatching(
        /^GET \/api\/v1\/configmaps\?watch=1&resourceVersion=\d+&allowWatchBookmarks=true&timeoutSeconds=\d+$/,
      ),
    ]);
    // The version moves with any change and only then (readers keep indexes by it).
    const settled = view.viewVersion();
    expect(settled).toEqual(expect.any(String));
    await watchedNames(view);
    expect(view.viewVersion()).toBe(settled);
    await s.writer.apply(configMap('three'));
    await until(async () => expect(view!.viewVersion()).not.toBe(settled));
    expect(view.stats()).toMatchObject({
      objects: 2,
      resources: [
        expect.objectContaining({ resource: 'configmaps.v1', state: 'synced' }),
      ],
    });
  });

  it('resumes a cut watch from its last version: nothing changed during the cut is lost or doubled', async () => {
    const s = setup(sim, proxy.url);
    view = s.view;
    await s.writer.apply(configMap('before'));
    expect(await watchedNames(view)).toEqual(['before']);
    for (let round = 0; round < 3; round++) {
      proxy.cut();
      await s.writer.apply(configMap(`during-${round}`));
      await s.writer.apply(configMap('before', { round: String(round) }));
    }
    await until(async () =>
      expect(await watchedNames(view!)).toEqual(await liveNames(s.direct)),
    );
    expect(await watchedNames(view)).toEqual([
      'before',
      'during-0',
      'during-1',
      'during-2',
    ]);
    const stats = view.stats().resources[0];
    expect(stats.reconnects).toBeGreaterThanOrEqual(1);
    // Resumed, not listed again: the history still held the versions.
    expect(stats.relists).toBe(1);
  });

  it('lists again when the server no longer has the version to resume from (410 Gone after an API server restart)', async () => {
    const s = setup(sim, proxy.url);
    view = s.view;
    await s.writer.apply(configMap('kept'));
    await s.writer.apply(configMap('deleted-while-away'));
    expect(await watchedNames(view)).toEqual(['deleted-while-away', 'kept']);
    proxy.down();
    for (let i = 0; i < 30; i++) {
      await s.writer.apply(configMap(`new-${String(i).padStart(2, '0')}`));
    }
    await s.writer.delete({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      namespace: 'default',
      name: 'deleted-while-away',
    });
    // The restarted server's watch history starts now: the view's version is older (410).
    await sim.restart();
    proxy.up();
    await until(
      async () =>
        expect(await watchedNames(view!)).toEqual(await liveNames(s.direct)),
      60_000,
    );
    expect(await watchedNames(view)).toHaveLength(31);
    expect(view.stats().resources[0].relists).toBeGreaterThanOrEqual(2);
  });

  it('resumes watches the API server drops, with changes made meanwhile', async () => {
    const s = setup(sim, proxy.url);
    const watched = s.view;
    const server = sim;
    view = watched;
    expect(await watchedNames(watched)).toEqual([]);
    for (const round of [0, 1, 2]) {
      // Once the (re)opened watch is there to drop.
      await until(async () =>
        expect(server.faults.dropWatches()).toBeGreaterThanOrEqual(1),
      );
      await s.writer.apply(configMap(`after-drop-${round}`));
      await until(async () =>
        expect(await watchedNames(watched)).toContain(`after-drop-${round}`),
      );
    }
    expect(view.stats().resources[0]).toMatchObject({
      relists: 1,
      reconnects: expect.any(Number),
    });
    expect(view.stats().resources[0].reconnects).toBeGreaterThanOrEqual(3);
  });

  it('reports an unreachable cluster on reads without waiting, and recovers when it is back', async () => {
    const s = setup(sim, proxy.url);
    view = s.view;
    await s.writer.apply(configMap('one'));
    expect(await watchedNames(view)).toEqual(['one']);
    proxy.down();
    await until(async () =>
      expect(await watchedNames(view!).catch(e => e.message)).toMatch(
        /^cluster 'dev' could not be reached for the watch of \/api\/v1\/configmaps: .*ECONNRESET|^cluster 'dev' .*(refused|ECONN|socket hang up|cut)/,
      ),
    );
    expect(view.stats().resources[0]).toMatchObject({
      state: 'failed',
      error: expect.stringContaining("cluster 'dev'"),
    });
    await s.writer.apply(configMap('two'));
    proxy.up();
    await until(
      async () => expect(await watchedNames(view!)).toEqual(['one', 'two']),
      60_000,
    );
  });

  it('reads a type the cluster does not serve as empty, and picks it up once its CRD exists', async () => {
    const s = setup(sim, proxy.url, { absentRecheckMs: 200 });
    view = s.view;
    const widgets = { group: 'example.com', version: 'v1', plural: 'widgets' };
    expect(await view.list(widgets)).toEqual([]);
    expect(view.stats().resources[0].state).toBe('absent');
    await s.writer.apply({
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'widgets.example.com' },
      spec: {
        group: 'example.com',
        scope: 'Namespaced',
        names: { plural: 'widgets', singular: 'widget', kind: 'Widget' },
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            schema: {
              openAPIV3Schema: {
                type: 'object',
                'x-kubernetes-preserve-unknown-fields': true,
              },
            },
          },
        ],
      },
    });
    await until(async () => {
      await s.writer.apply({
        apiVersion: 'example.com/v1',
        kind: 'Widget',
        metadata: { name: 'w', namespace: 'default' },
      });
    });
    await until(async () =>
      expect(names(await view!.list(widgets))).toEqual(['w']),
    );
  });

  it('reads a type with more objects than allowed from the cluster, and never caches Secrets', async () => {
    const s = setup(sim, proxy.url, { maxObjectsPerResource: 2 });
    view = s.view;
    for (const name of ['a', 'b', 'c']) await s.writer.apply(configMap(name));
    expect(await watchedNames(view)).toEqual(['a', 'b', 'c']);
    expect(view.stats()).toMatchObject({
      objects: 0,
      resources: [
        expect.objectContaining({
          state: 'over-limit',
          error: expect.stringContaining(
            'mesh.watchCache.maxObjectsPerResource',
          ),
        }),
      ],
    });
    await s.writer.apply({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'token', namespace: 'default' },
      stringData: { token: 'hunter2' },
    });
    expect(
      names(await view.list({ group: '', version: 'v1', plural: 'secrets' })),
    ).toContain('token');
    expect(view.stats().resources.map(r => r.resource)).toEqual([
      'configmaps.v1',
    ]);
  });

  it('serves a service account that may not list a type cluster-wide from a namespace view, without asking cluster-wide again', async () => {
    // RBAC with a Role in 'default' only: the cluster-wide list and watch of ConfigMaps are refused.
    sim.faults.set(
      'forbidden403=1,verbs=list,watch,resources=configmaps,paths=/api/v1/configmaps',
    );
    const s = setup(sim, proxy.url);
    view = s.view;
    await s.writer.apply(configMap('a'));
    expect(await watchedNames(view)).toEqual(['a']);
    await s.writer.apply(configMap('b'));
    await until(async () =>
      expect(await watchedNames(view!)).toEqual(['a', 'b']),
    );
    expect(view.stats().resources).toEqual([
      expect.objectContaining({
        resource: 'configmaps.v1',
        state: 'forbidden',
        error: expect.stringContaining('forbidden'),
      }),
      expect.objectContaining({
        resource: 'configmaps.v1',
        namespace: 'default',
        state: 'synced',
        objects: 2,
      }),
    ]);
    // The refusal is settled: the view has a version, and more reads do not ask cluster-wide again.
    expect(view.viewVersion()).toBeDefined();
    const refused = () => sim.faults.stats()[0].injected;
    const before = refused();
    for (let i = 0; i < 5; i++) await watchedNames(view);
    await new Promise(resolve => setTimeout(resolve, 2_000));
    expect(refused()).toBe(before);
  });

  it('stops watching a type nobody reads', async () => {
    const s = setup(sim, proxy.url, { idleTimeoutMs: 300 });
    view = s.view;
    await watchedNames(view);
    expect(view.stats().resources).toHaveLength(1);
    await until(async () => expect(view!.stats().resources).toHaveLength(0));
  });
});
