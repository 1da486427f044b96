import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import {
  mockServices,
  startTestBackend,
  type TestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { startKubeSim } from '@meshstage/kube-sim';
import { decodeHistogram } from '@meshstage/loadgen';
import request from 'supertest';
import { meshPlugin } from '../plugin';
import { parsePodResult } from './InClusterRunner';
import { kubernetesClustersConfig } from '../__testUtils__/kubernetesConfig';

// An in-cluster run end to end: a real kube-sim whose `meshstage/loadgen` pods run meshperf as
// local processes, a real target, the REST API. Process start-up goes through the TypeScript
// transform, so this takes tens of seconds on the shared machine.
jest.setTimeout(180_000);

const MESHPERF = path.resolve(
  __dirname,
  '../../../../packages/loadgen/bin/meshperf',
);

describe('in-cluster benchmark runs', () => {
  let sim: Awaited<ReturnType<typeof startKubeSim>>;
  let backend: TestBackend;
  let target: http.Server;
  let targetUrl: string;
  let served = 0;

  beforeAll(async () => {
    target = http.createServer((_req, res) => {
      served++;
      res.end('ok');
    });
    await new Promise<void>(resolve => target.listen(0, '127.0.0.1', resolve));
    targetUrl = `http://127.0.0.1:${(target.address() as AddressInfo).port}/`;
    sim = await startKubeSim({
      localImages: {
        'meshstage/loadgen': { command: [process.execPath, MESHPERF] },
      },
    });
    backend = await startTestBackend({
      features: [
        meshPlugin,
        mockServices.rootConfig.factory({
          data: {
            ...kubernetesClustersConfig([
              { name: 'dev', url: sim.url, token: sim.token },
            ]),
            mesh: { benchmark: { maxPods: 3 } },
          },
        }),
        catalogServiceMock.factory({ entities: [] }),
      ],
    });
  });

  afterAll(async () => {
    await backend?.stop();
    await sim?.close();
    target?.closeAllConnections();
    await new Promise(resolve => target?.close(resolve));
  });

  const api = () => request(backend.server);
  const profile = (inCluster: Record<string, unknown>) => ({
    name: 'in-cluster',
    endpoints: [{ url: targetUrl }],
    connections: 2,
    duration: '1s',
    inCluster,
  });

  it('runs a Job of two loadgen pods and merges their histograms exactly', async () => {
    const started = await api()
      .post('/api/mesh/benchmark/runs')
      .send({ profile: profile({ cluster: 'dev', pods: 2 }), mesh: 'istio' });
    expect(started.status).toBe(202);
    const id = started.body.id;

    let run: any;
    const deadline = Date.now() + 150_000;
    do {
      await new Promise(r => setTimeout(r, 500));
      run = (await api().get(`/api/mesh/benchmark/runs/${id}`)).body;
    } while (
      ['queued', 'running'].includes(run.state) &&
      Date.now() < deadline
    );
    expect(run.error).toBeUndefined();
    expect(run.state).toBe('succeeded');

    const full = (await api().get(`/api/mesh/benchmark/results/${id}`)).body;
    const r = full.result;
    expect(full.environment).toMatchObject({
      runner: 'in-cluster',
      pods: 2,
      // kube-sim's node reports a simulated container runtime.
      simulatedProxies: { cluster: 'dev' },
    });
    // Two pods of one connection each, merged: counts and histograms add up.
    expect(r.config.connections).toBe(2);
    expect(r.requests.total).toBeGreaterThan(0);
    expect(served).toBeGreaterThanOrEqual(r.requests.total);
    expect(decodeHistogram(r.histogram.data).totalCount).toBe(r.requests.total);
    expect(r.statusCodes).toEqual({ '200': r.requests.total });
    expect(r.labels).toContain(`run=${id}`);

    // The Job is cleaned up.
    const jobs = await fetch(
      `${sim.url}/apis/batch/v1/namespaces/default/jobs`,
      {
        headers: { Authorization: `Bearer ${sim.token}` },
      },
    ).then(res => res.json());
    expect(jobs.items).toEqual([]);
  });

  it('deletes the Job at once when the run is cancelled', async () => {
    const started = await api()
      .post('/api/mesh/benchmark/runs')
      .send({
        // Far longer than the test: only the cancel can end it.
        profile: { ...profile({ cluster: 'dev', pods: 1 }), duration: '10m' },
      });
    const id = started.body.id;
    const jobsPath = `${sim.url}/apis/batch/v1/namespaces/default/jobs`;
    const jobs = () =>
      fetch(jobsPath, {
        headers: { Authorization: `Bearer ${sim.token}` },
      }).then(res => res.json());
    const deadline = Date.now() + 60_000;
    while ((await jobs()).items.length === 0) {
      if (Date.now() > deadline) throw new Error('no benchmark Job created');
      await new Promise(r => setTimeout(r, 100));
    }
    // The answer comes once the run has ended: the Job is gone by then (no timing involved).
    const res = await api().post(`/api/mesh/benchmark/runs/${id}/cancel`);
    expect(res.body.state).toBe('cancelled');
    expect(res.body.error).toMatch(/cancelled/);
    expect((await jobs()).items).toEqual([]);
  });

  it.each([
    [{ cluster: 'elsewhere' }, 'profile.inCluster.cluster'],
    [{ cluster: 'dev', pods: 4 }, 'profile.inCluster.pods'],
    [
      { cluster: 'dev', namespace: 'Not_A_Namespace' },
      'profile.inCluster.namespace',
    ],
  ])('refuses %j with a 400 naming %s', async (inCluster, field) => {
    const res = await api()
      .post('/api/mesh/benchmark/runs')
      .send({ profile: profile(inCluster) });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain(`'${field}'`);
  });
});

describe('parsePodResult', () => {
  it('takes the JSON document after any stderr lines', () => {
    const doc = { kind: 'meshperf-result', requests: { total: 3 } };
    expect(
      parsePodResult(`meshperf: warning\n${JSON.stringify(doc, null, 2)}\n`),
    ).toEqual(doc);
  });

  it('says what the log held when there is no result', () => {
    expect(() => parsePodResult('meshperf: invalid URL "x"')).toThrow(
      /no result in the log: meshperf: invalid URL "x"/,
    );
  });
});
