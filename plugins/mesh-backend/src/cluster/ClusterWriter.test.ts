import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { startKubeSim } from '@meshstage/kube-sim';
import { eventually, kubeResources } from '@meshstage/plugin-mesh-node';
import { ClusterClients } from './ClusterClients';
import { KubeApiError } from './ClusterWriterError';
import { KubeClusterWriter } from './ClusterWriterKube';
import { createKubeConfig } from './createKubeConfig';

const EXAMPLE_CLUSTER = path.resolve(__dirname, '../../../../examples/cluster');

// A simulated cluster and rollouts: jest's 5 s default is too tight on a busy machine.
jest.setTimeout(90_000);

// The timeout only ends requests to a server that never answers; a generous default elsewhere.
function writer(url: string, token: string, timeoutMs = 30_000) {
  const kc = createKubeConfig({
    name: 'sim',
    url,
    authProvider: 'serviceAccount',
    serviceAccountToken: token,
    skipTLSVerify: true,
  });
  return new KubeClusterWriter({ name: 'sim', url }, kc, timeoutMs);
}

const configMap = (name: string, data: Record<string, string>) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'default' },
  data,
});

describe('KubeClusterWriter on kube-sim', () => {
  let sim: Awaited<ReturnType<typeof startKubeSim>>;
  let w: KubeClusterWriter;

  beforeAll(async () => {
    sim = await startKubeSim({ seed: [EXAMPLE_CLUSTER] });
    w = writer(sim.url, sim.token);
  });
  afterAll(() => sim?.close());

  it('server-side applies under field manager meshstage, and get reads it back', async () => {
    expect(
      await w.get({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        name: 'a',
        namespace: 'default',
      }),
    ).toBeUndefined();
    const applied = await w.apply(configMap('a', { k: 'v1' }));
    expect(applied.metadata.uid).toBeTruthy();
    const managers = (
      applied.metadata.managedFields as Array<{ manager: string }>
    ).map(f => f.manager);
    expect(managers).toContain('meshstage');
    await w.apply(configMap('a', { k: 'v2' }));
    const live = await w.get({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      name: 'a',
      namespace: 'default',
    });
    expect(live?.data).toEqual({ k: 'v2' });
  });

  it('does not persist a dry-run apply', async () => {
    const result = await w.apply(configMap('dry', { k: 'v' }), {
      dryRun: true,
    });
    expect(result.data).toEqual({ k: 'v' });
    expect(
      await w.get({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        name: 'dry',
        namespace: 'default',
      }),
    ).toBeUndefined();
  });

  it('creates, patches in three formats and deletes (absent is fine)', async () => {
    const ref = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      name: 'b',
      namespace: 'default',
    };
    await w.create(configMap('b', { x: '1' }));
    await expect(w.create(configMap('b', { x: '1' }))).rejects.toMatchObject({
      name: 'KubeApiError',
      code: 409,
      message: expect.stringContaining('already exists'),
    });
    await w.patch(ref, { data: { y: '2' } }, 'merge');
    await w.patch(ref, [{ op: 'add', path: '/data/z', value: '3' }], 'json');
    await w.patch(ref, { metadata: { labels: { s: 't' } } }, 'strategic');
    const live = await w.get(ref);
    expect(live?.data).toEqual({ x: '1', y: '2', z: '3' });
    expect(live?.metadata.labels).toEqual({ s: 't' });
    expect(await w.delete(ref, { propagationPolicy: 'Background' })).toBe(true);
    expect(await w.delete(ref)).toBe(false);
    expect(await w.get(ref)).toBeUndefined();
  });

  it('reports the API server Status message and code', async () => {
    const error = await w
      .patch(
        {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          name: 'missing',
          namespace: 'default',
        },
        { data: {} },
        'merge',
      )
      .catch(e => e);
    expect(error).toBeInstanceOf(KubeApiError);
    expect(error.code).toBe(404);
    expect(error.message).toContain('not found');
  });

  it('resolves a CRD kind with an irregular plural through discovery', async () => {
    await w.apply({
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'geese.example.com' },
      spec: {
        group: 'example.com',
        scope: 'Namespaced',
        names: {
          kind: 'Goose',
          plural: 'geese',
          singular: 'goose',
          listKind: 'GooseList',
        },
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
    const goose = {
      apiVersion: 'example.com/v1',
      kind: 'Goose',
      metadata: { name: 'honk', namespace: 'default' },
      spec: { loud: true },
    };
    await eventually(async () => ((await w.apply(goose)) ? true : undefined));
    const live = await w.get({
      apiVersion: 'example.com/v1',
      kind: 'Goose',
      name: 'honk',
      namespace: 'default',
    });
    expect(live?.spec).toEqual({ loud: true });
    const listed = await w.list({
      group: 'example.com',
      version: 'v1',
      plural: 'geese',
    });
    expect(listed.map(o => [o.kind, o.metadata.name])).toEqual([
      ['Goose', 'honk'],
    ]);
  });

  it('lists with a label selector and reads pod logs as text', async () => {
    const pods = await eventually(async () => {
      const list = await w.list(kubeResources.pods, {
        namespace: 'bookinfo',
        labelSelector: 'app=details',
      });
      return list.length > 0 && list[0].status?.phase === 'Running'
        ? list
        : undefined;
    });
    expect(pods.every(p => p.metadata.labels?.app === 'details')).toBe(true);
    const logs = await w.podLogs('bookinfo', pods[0].metadata.name);
    expect(typeof logs).toBe('string');
    expect(logs.length).toBeGreaterThan(0);
  });
});

describe('KubeClusterWriter timeouts', () => {
  it('gives up on a cluster that does not answer', async () => {
    const server = http.createServer(() => {
      // never answers
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      await expect(
        writer(url, 't', 200).apply(configMap('x', {})),
      ).rejects.toThrow(/did not answer PATCH .* within 200 ms/);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});

describe('ClusterClients.writer', () => {
  it('gives write access by cluster name; a misconfigured cluster rejects with the reason', async () => {
    const clusters = ClusterClients.fromConfig(
      new ConfigReader({
        kubernetes: {
          clusterLocatorMethods: [
            {
              type: 'config',
              clusters: [
                {
                  name: 'ok',
                  url: 'https://127.0.0.1:1',
                  authProvider: 'serviceAccount',
                  serviceAccountToken: 't',
                  skipTLSVerify: true,
                },
                {
                  name: 'bad',
                  url: 'https://127.0.0.1:1',
                  authProvider: 'oidc',
                },
              ],
            },
          ],
        },
      }),
      { logger: mockServices.logger.mock() },
    );
    expect(clusters.writer('ok')).toBeInstanceOf(KubeClusterWriter);
    expect(clusters.writer('nope')).toBeUndefined();
    await expect(
      clusters.writer('bad')!.apply(configMap('x', {})),
    ).rejects.toThrow(
      "cluster 'bad' cannot be used: authProvider 'oidc' is not supported by MeshStage yet; use 'serviceAccount'",
    );
  });
});
