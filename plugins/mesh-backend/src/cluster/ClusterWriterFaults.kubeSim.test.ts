import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { startKubeSim } from '@meshstage/kube-sim';
import { kubernetesClustersConfig } from '../__testUtils__/kubernetesConfig';
import { ClusterClients } from './ClusterClients';
import { KubeApiError } from './ClusterWriterError';
import { KubeClusterWriter } from './ClusterWriterKube';
import { createKubeConfig } from './createKubeConfig';
import { createKubeRequest } from './kubeRequest';
import { DEFAULT_CLUSTER_RETRY } from './retryPolicy';

// kube-sim injecting faults into the writer's requests: 429s are waited out, server errors and
// cut connections retried where a repeat is safe, refusals reported at once. Attempts are counted
// on the kube-sim side (its fault rules see every attempt), never timed.
jest.setTimeout(120_000);

// A cut after the headers is only ended by the request timeout (client-node's fetch never settles
// such a body): short enough to keep the test quick, long enough for a loaded machine.
const TIMEOUT_MS = 3000;

const configMap = (name: string, data: Record<string, string> = {}) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'default' },
  data,
});
const ref = (name: string) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  name,
  namespace: 'default',
});

describe('KubeClusterWriter against kube-sim faults', () => {
  let sim: Awaited<ReturnType<typeof startKubeSim>>;
  let w: KubeClusterWriter;
  const kc = () =>
    createKubeConfig({
      name: 'sim',
      url: sim.url,
      authProvider: 'serviceAccount',
      serviceAccountToken: sim.token,
      skipTLSVerify: true,
    });

  beforeAll(async () => {
    sim = await startKubeSim();
    w = new KubeClusterWriter({ name: 'sim', url: sim.url }, kc(), TIMEOUT_MS);
  });
  afterEach(() => sim.faults.clear());
  afterAll(() => sim?.close());

  it('applies through a 429, a 500 and a connection cut after the answer’s headers', async () => {
    const match = { verbs: ['patch' as const], names: ['through'] };
    sim.faults.failNext({ status: 429, retryAfter: 1, match });
    sim.faults.failNext({ status: 500, match });
    sim.faults.failNext({ status: 'cut', cutAt: 'headers', match });
    const applied = await w.apply(configMap('through', { k: 'v' }));
    expect(applied.data).toEqual({ k: 'v' });
    // four attempts: three faults, then the apply that answered
    expect(sim.faults.stats().map(s => [s.matched, s.injected])).toEqual([
      [4, 1],
      [3, 1],
      [2, 1],
    ]);
    expect((await w.get(ref('through')))?.data).toEqual({ k: 'v' });
  });

  it('takes a create whose answer was cut for done, after meeting AlreadyExists on the retry', async () => {
    sim.faults.failNext({
      status: 'cut',
      cutAt: 'body',
      match: { verbs: ['create'], resources: ['configmaps'] },
    });
    const created = await w.create(configMap('created-once'));
    expect(created.metadata.name).toBe('created-once');
    expect(sim.faults.stats()[0].matched).toBe(2);
  });

  it('does not take someone else’s object for its own create', async () => {
    // another client made it first, under its own field manager
    const other = createKubeRequest(
      { name: 'sim', url: sim.url },
      kc(),
      TIMEOUT_MS,
    );
    const made = await other('POST', '/api/v1/namespaces/default/configmaps', {
      query: { fieldManager: 'someone-else' },
      body: JSON.stringify(configMap('theirs')),
    });
    expect(made.status).toBe(201);
    // our first attempt meets a 500 (not served), the retry AlreadyExists: not ours
    sim.faults.failNext({ status: 500, match: { verbs: ['create'] } });
    const error = await w.create(configMap('theirs')).then(
      () => undefined,
      e => e,
    );
    expect(error).toMatchObject({ code: 409, reason: 'AlreadyExists' });
    expect(error.message).toBe(
      'POST /api/v1/namespaces/default/configmaps failed with HTTP 409: configmaps "theirs" already exists (after 2 attempts)',
    );
  });

  it('counts a delete whose answer was cut as done', async () => {
    await w.apply(configMap('doomed'));
    sim.faults.failNext({
      status: 'cut',
      cutAt: 'body',
      match: { verbs: ['delete'], names: ['doomed'] },
    });
    expect(await w.delete(ref('doomed'))).toBe(true);
    expect(await w.get(ref('doomed'))).toBeUndefined();
    expect(sim.faults.stats()[0].matched).toBe(2);
    // absent without any retry: nothing deleted
    expect(await w.delete(ref('doomed'))).toBe(false);
  });

  it('retries a JSON patch only when the server surely did not serve it', async () => {
    await w.apply(configMap('listy', { a: '1' }));
    const add = [{ op: 'add', path: '/data/b', value: '2' }];
    sim.faults.failNext({
      status: 429,
      retryAfter: 1,
      match: { names: ['listy'], verbs: ['patch'] },
    });
    expect((await w.patch(ref('listy'), add, 'json')).data).toEqual({
      a: '1',
      b: '2',
    });
    sim.faults.clear();
    sim.faults.failNext({
      status: 500,
      match: { names: ['listy'], verbs: ['patch'] },
    });
    const error = await w.patch(ref('listy'), add, 'json').then(
      () => undefined,
      e => e,
    );
    expect(error).toBeInstanceOf(KubeApiError);
    expect(error.message).toBe(
      'PATCH /api/v1/namespaces/default/configmaps/listy failed with HTTP 500: Internal error occurred: injected by kube-sim --faults',
    );
    expect(sim.faults.stats()[0].matched).toBe(1);
  });

  it.each([
    [
      403,
      'Forbidden',
      'configmaps "refused" is forbidden: User "kube-sim-admin" cannot patch resource "configmaps" in API group "" in the namespace "default" (injected by kube-sim --faults)',
    ],
    [
      422,
      'Invalid',
      'ConfigMap "refused" is invalid: metadata: Forbidden: injected by kube-sim --faults',
    ],
  ] as const)(
    'fails at once on a permanent %p, naming the object and the API server’s message',
    async (status, reason, message) => {
      sim.faults.failNext({
        status,
        match: { verbs: ['patch'], names: ['refused'] },
      });
      const error = await w.apply(configMap('refused')).then(
        () => undefined,
        e => e,
      );
      expect(error).toMatchObject({ code: status, reason });
      expect(error.message).toBe(
        `apply /api/v1/namespaces/default/configmaps/refused failed with HTTP ${status}: ${message}`,
      );
      expect(sim.faults.stats()[0].matched).toBe(1);
    },
  );

  it('fails at once on a real field-manager conflict', async () => {
    await w.apply(configMap('contested', { k: 'ours' }));
    // another manager takes the field
    const kubectl = createKubeRequest(
      { name: 'sim', url: sim.url },
      kc(),
      TIMEOUT_MS,
    );
    const taken = await kubectl(
      'PATCH',
      '/api/v1/namespaces/default/configmaps/contested',
      {
        query: { fieldManager: 'kubectl', force: 'true' },
        body: JSON.stringify(configMap('contested', { k: 'theirs' })),
        contentType: 'application/apply-patch+yaml',
      },
    );
    expect(taken.status).toBe(200);
    sim.faults.set('latency=0ms,names=contested,verbs=patch');
    const error = await w
      .apply(configMap('contested', { k: 'ours' }), { force: false })
      .then(
        () => undefined,
        e => e,
      );
    expect(error).toMatchObject({ code: 409, reason: 'Conflict' });
    expect(error.message).toMatch(
      /^apply .* failed with HTTP 409: Apply failed with 1 conflict/,
    );
    expect(sim.faults.stats()[0].matched).toBe(1);
  });

  it('follows mesh.clusterRetry: attempts: 1 turns retries off', async () => {
    const writerWith = (mesh: object) =>
      ClusterClients.fromConfig(
        new ConfigReader({
          ...kubernetesClustersConfig([
            { name: 'sim', url: sim.url, token: sim.token },
          ]),
          mesh,
        }),
        { logger: mockServices.logger.mock() },
      ).writer('sim')!;
    const match = { verbs: ['patch' as const], names: ['configured'] };

    sim.faults.failNext({ status: 500, match });
    await writerWith({ clusterRetry: { initialDelay: '10ms' } }).apply(
      configMap('configured'),
    );
    expect(sim.faults.stats()[0].matched).toBe(2);

    sim.faults.clear();
    sim.faults.failNext({ status: 500, match });
    const error = await writerWith({ clusterRetry: { attempts: 1 } })
      .apply(configMap('configured'))
      .then(
        () => undefined,
        e => e,
      );
    expect(error).toMatchObject({ code: 500 });
    expect(sim.faults.stats()[0].matched).toBe(1);
  });

  it('rides out an API server restart: refused connections are retried until it is back', async () => {
    const request = createKubeRequest(
      { name: 'sim', url: sim.url },
      kc(),
      TIMEOUT_MS,
      {
        ...DEFAULT_CLUSTER_RETRY,
        attempts: 10,
        initialDelayMs: 100,
        maxDelayMs: 1000,
      },
    );
    let during: ReturnType<typeof request> | undefined;
    await sim.restart({
      downMs: 200,
      whileDown: () => {
        during = request(
          'GET',
          '/api/v1/namespaces/default/configmaps/through',
        );
      },
    });
    const res = await during!;
    expect(res.status).toBe(200);
    expect(res.attempts).toBeGreaterThan(1);
  });
});
