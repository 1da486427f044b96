import * as k8s from '@kubernetes/client-node';
import { connect } from 'node:net';
import { eventually } from '../__testUtils__/kubectl';
import { startKubeSimInstance, KubeSimInstance } from '../sim';

jest.setTimeout(180_000);

/** What a client-node call rejected with, to look at. */
async function failure(call: Promise<unknown>): Promise<any> {
  try {
    await call;
  } catch (e) {
    return e;
  }
  throw new Error('the call succeeded');
}

/** Whether a TCP connection to the simulator's port is refused right now. */
function refused(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise(resolve => {
    const socket = connect(Number(port), hostname);
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', e =>
      resolve((e as NodeJS.ErrnoException).code === 'ECONNREFUSED'),
    );
  });
}

// Each fault as @kubernetes/client-node sees it: the statuses, headers and bodies a real API
// server sends in that situation, cut connections, dropped watches and a restart.
describe('kube-sim faults seen by @kubernetes/client-node', () => {
  let sim: KubeSimInstance;
  let kc: k8s.KubeConfig;
  let core: k8s.CoreV1Api;

  beforeAll(async () => {
    sim = await startKubeSimInstance({}, { podStartDelayMs: 50 });
    kc = new k8s.KubeConfig();
    kc.loadFromString(sim.kubeconfig());
    core = kc.makeApiClient(k8s.CoreV1Api);
    await core.createNamespacedConfigMap({
      namespace: 'default',
      body: { metadata: { name: 'target' }, data: { a: '1' } },
    });
  });
  afterEach(() => sim.faults.clear());
  afterAll(() => sim.close());

  const readTarget = () =>
    core.readNamespacedConfigMap({ name: 'target', namespace: 'default' });

  it.each([
    [
      500,
      'InternalError',
      'Internal error occurred: injected by kube-sim --faults',
    ],
    [
      503,
      'ServiceUnavailable',
      'the server is currently unable to handle the request',
    ],
    [
      504,
      'Timeout',
      'Timeout: request did not complete within requested timeout - context deadline exceeded',
    ],
    [
      403,
      'Forbidden',
      'configmaps "target" is forbidden: User "kube-sim-admin" cannot get resource "configmaps" in API group "" in the namespace "default" (injected by kube-sim --faults)',
    ],
  ] as const)(
    'answers %p with a %s Status',
    async (status, reason, message) => {
      sim.faults.failNext({ status, match: { names: ['target'] } });
      const e = await failure(readTarget());
      expect(e).toBeInstanceOf(k8s.ApiException);
      expect(e.code).toBe(status);
      expect(JSON.parse(e.body)).toMatchObject({
        kind: 'Status',
        apiVersion: 'v1',
        status: 'Failure',
        reason,
        message,
        code: status,
      });
      // only the next one
      expect((await readTarget()).data).toEqual({ a: '1' });
    },
  );

  it('answers writes with 409 Conflict and 422 Invalid on the object named', async () => {
    sim.faults.failNext({ status: 409, match: { verbs: ['patch'] } });
    const conflict = await failure(
      core.patchNamespacedConfigMap(
        { name: 'target', namespace: 'default', body: { data: { b: '2' } } },
        k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
      ),
    );
    expect(conflict.code).toBe(409);
    expect(JSON.parse(conflict.body)).toMatchObject({
      reason: 'Conflict',
      message:
        'Operation cannot be fulfilled on configmaps "target": the object has been modified; please apply your changes to the latest version and try again',
      details: { name: 'target', kind: 'configmaps' },
    });
    sim.faults.failNext({ status: 422, match: { verbs: ['patch'] } });
    const invalid = await failure(
      core.patchNamespacedConfigMap(
        { name: 'target', namespace: 'default', body: { data: { b: '2' } } },
        k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
      ),
    );
    expect(invalid.code).toBe(422);
    expect(JSON.parse(invalid.body)).toMatchObject({
      reason: 'Invalid',
      message:
        'ConfigMap "target" is invalid: metadata: Forbidden: injected by kube-sim --faults',
      details: { kind: 'ConfigMap', causes: [{ field: 'metadata' }] },
    });
    // neither write happened
    expect((await readTarget()).data).toEqual({ a: '1' });
  });

  it('throttles with 429, Retry-After and the plain-text body of the API server’s flow control', async () => {
    sim.faults.set('throttle429=1:retryAfter=7,count=1,resources=configmaps');
    const e = await failure(readTarget());
    expect(e.code).toBe(429);
    expect(e.headers['retry-after']).toBe('7');
    expect(e.body).toBe('Too many requests, please try again later.\n');
    expect(sim.faults.injected.at(-1)).toMatchObject({
      kind: 'throttle429',
      status: 429,
      verb: 'get',
      resource: 'configmaps',
      name: 'target',
    });
  });

  it('cuts the connection before the request is served: nothing happens', async () => {
    sim.faults.failNext({
      status: 'cut',
      cutAt: 'request',
      match: { verbs: ['create'] },
    });
    const e = await failure(
      core.createNamespacedConfigMap({
        namespace: 'default',
        body: { metadata: { name: 'cut-before' } },
      }),
    );
    expect(e.code).toBe('ECONNRESET');
    expect(
      (await core.listNamespacedConfigMap({ namespace: 'default' })).items.map(
        c => c.metadata?.name,
      ),
    ).not.toContain('cut-before');
  });

  it.each(['headers', 'body'] as const)(
    'cuts the connection after the %s of the answer: the write happened; client-node (node-fetch 2) never settles the call',
    async cutAt => {
      sim.faults.failNext({
        status: 'cut',
        cutAt,
        match: { verbs: ['create'] },
      });
      const name = `cut-after-${cutAt}`;
      const call = core.createNamespacedConfigMap({
        namespace: 'default',
        body: { metadata: { name } },
      });
      // node-fetch 2.7 does not fail a Content-Length body whose connection closed early
      // (node-fetch issue #1604): only the caller's own timeout ends such a call. A pending
      // promise cannot turn into a false failure on a slow machine.
      const outcome = await Promise.race([
        call.then(
          () => 'resolved',
          () => 'rejected',
        ),
        new Promise(r => setTimeout(() => r('pending'), 2000)),
      ]);
      expect(outcome).toBe('pending');
      expect(
        (await core.readNamespacedConfigMap({ name, namespace: 'default' }))
          .metadata?.name,
      ).toBe(name);
      // the retry a client makes gets AlreadyExists: the sign the first attempt landed
      const again = await failure(
        core.createNamespacedConfigMap({
          namespace: 'default',
          body: { metadata: { name } },
        }),
      );
      expect(again.code).toBe(409);
      expect(JSON.parse(again.body).reason).toBe('AlreadyExists');
    },
  );

  it('delays requests by the latency asked for and records it', async () => {
    sim.faults.set('latency=300ms,names=target');
    expect((await readTarget()).data).toEqual({ a: '1' });
    expect(sim.faults.injected.at(-1)).toMatchObject({
      kind: 'latency',
      ms: 300,
      name: 'target',
    });
  });

  it('repeats the same faults from the same seed', async () => {
    const statuses = async () => {
      const out: number[] = [];
      for (let i = 0; i < 30; i++) {
        out.push(
          await readTarget().then(
            () => 200,
            e => e.code,
          ),
        );
      }
      return out;
    };
    sim.faults.set('error500=0.3,throttle429=0.2,names=target;seed=7');
    const first = await statuses();
    sim.faults.set('error500=0.3,throttle429=0.2,names=target;seed=7');
    expect(await statuses()).toEqual(first);
    expect(new Set(first)).toEqual(new Set([200, 500, 429]));
  });

  it('drops watches on demand; a watch resumed from the last resourceVersion misses and repeats nothing', async () => {
    const seen: string[] = [];
    let lastRv = '';
    let done = false;
    const onEvent = (type: string, obj: any) => {
      if (type === 'BOOKMARK') return;
      seen.push(`${type} ${obj.metadata.name}`);
      lastRv = obj.metadata.resourceVersion;
    };
    await core.createNamespace({ body: { metadata: { name: 'watched' } } });
    const listed = await core.listNamespacedConfigMap({
      namespace: 'watched',
    });
    lastRv = listed.metadata!.resourceVersion!;
    const watch = new k8s.Watch(kc);
    await watch.watch(
      '/api/v1/namespaces/watched/configmaps',
      { resourceVersion: lastRv },
      onEvent,
      () => (done = true),
    );
    await core.createNamespacedConfigMap({
      namespace: 'watched',
      body: { metadata: { name: 'one' } },
    });
    await eventually(() => seen.length === 1);
    expect(sim.faults.dropWatches({ match: { namespaces: ['watched'] } })).toBe(
      1,
    );
    await eventually(() => done);
    // changes while no watch is open
    await core.createNamespacedConfigMap({
      namespace: 'watched',
      body: { metadata: { name: 'two' } },
    });
    await core.deleteNamespacedConfigMap({ name: 'one', namespace: 'watched' });
    const again = await watch.watch(
      '/api/v1/namespaces/watched/configmaps',
      { resourceVersion: lastRv },
      onEvent,
      () => undefined,
    );
    await core.createNamespacedConfigMap({
      namespace: 'watched',
      body: { metadata: { name: 'three' } },
    });
    await eventually(() => seen.length >= 4);
    again.abort();
    expect(seen).toEqual([
      'ADDED one',
      'ADDED two',
      'DELETED one',
      'ADDED three',
    ]);
    expect(sim.faults.injected.at(-1)).toMatchObject({
      kind: 'dropWatch',
      verb: 'watch',
      namespace: 'watched',
    });
  });

  it('drops watches a while after they start with dropWatch=', async () => {
    sim.faults.set('dropWatch=200ms:mode=end,resources=configmaps,count=1');
    const watch = new k8s.Watch(kc);
    let ended = false;
    await watch.watch(
      '/api/v1/namespaces/default/configmaps',
      {},
      () => undefined,
      () => (ended = true),
    );
    await eventually(() => ended);
    expect(sim.faults.stats()).toEqual([
      expect.objectContaining({ matched: 1, applied: 1, injected: 1 }),
    ]);
  });

  it('restarts: connections refused while down, then the same objects on the same URL; old watch positions get 410 Expired', async () => {
    const before = await core.listNamespacedConfigMap({ namespace: 'default' });
    const oldRv = before.metadata!.resourceVersion!;
    await core.createNamespacedConfigMap({
      namespace: 'default',
      body: { metadata: { name: 'pre-restart' } },
    });
    const atRestart = (
      await core.listNamespacedConfigMap({ namespace: 'default' })
    ).metadata!.resourceVersion!;

    let watchEnded = false;
    await new k8s.Watch(kc).watch(
      '/api/v1/namespaces/default/configmaps',
      { resourceVersion: atRestart },
      () => undefined,
      () => (watchEnded = true),
    );
    let downRefused = false;
    let downCall: any;
    await sim.restart({
      downMs: 200,
      whileDown: async () => {
        downRefused = await refused(sim.url);
        downCall = await failure(readTarget());
      },
    });
    expect(watchEnded).toBe(true);
    expect(downRefused).toBe(true);
    expect(downCall.code).toBe('ECONNREFUSED');

    const after = await core.listNamespacedConfigMap({ namespace: 'default' });
    expect(after.items.map(c => c.metadata?.name)).toContain('pre-restart');
    // resourceVersions continue from where they were
    expect(Number(after.metadata!.resourceVersion)).toBeGreaterThanOrEqual(
      Number(atRestart),
    );

    const events: Array<[string, any]> = [];
    const stale = await new k8s.Watch(kc).watch(
      '/api/v1/namespaces/default/configmaps',
      { resourceVersion: oldRv },
      (type, obj) => events.push([type, obj]),
      () => undefined,
    );
    await eventually(() => events.length > 0);
    stale.abort();
    expect(events[0][0]).toBe('ERROR');
    expect(events[0][1]).toMatchObject({
      kind: 'Status',
      reason: 'Expired',
      code: 410,
    });

    const fresh: string[] = [];
    const current = await new k8s.Watch(kc).watch(
      '/api/v1/namespaces/default/configmaps',
      { resourceVersion: atRestart },
      (type, obj) => fresh.push(`${type} ${obj.metadata?.name}`),
      () => undefined,
    );
    await core.createNamespacedConfigMap({
      namespace: 'default',
      body: { metadata: { name: 'post-restart' } },
    });
    await eventually(() => fresh.length > 0);
    current.abort();
    expect(fresh).toEqual(['ADDED post-restart']);
  });
});
