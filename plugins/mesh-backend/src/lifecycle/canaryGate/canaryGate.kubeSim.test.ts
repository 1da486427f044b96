import path from 'node:path';
import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockServices,
  startTestBackend,
  type TestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { type KubeSim, startKubeSim } from '@meshstage/kube-sim';
import istioModule from '@meshstage/plugin-mesh-backend-module-istio';
import type { BenchmarkRun } from '@meshstage/plugin-mesh-common';
import {
  eventually,
  HttpClusterView,
  type KubeObject,
  type KubePod,
  kubeResources,
} from '@meshstage/plugin-mesh-node';
import request from 'supertest';
import { kubernetesClustersConfig } from '../../__testUtils__/kubernetesConfig';
import { meshPlugin } from '../../plugin';
import { recordingAuditor } from '../__testUtils__/operationsApp';

const REPO = path.resolve(__dirname, '../../../../..');
const MESHPERF = path.join(REPO, 'packages/loadgen/bin/meshperf');

// Performance-gated canary upgrades through the real backend (the mesh plugin, the Istio module,
// SQLite, the benchmark queue) against kube-sim, whose meshstage/echo and meshstage/loadgen pods
// run as local processes: the gate's in-cluster benchmarks send real HTTP through the echo
// Service's loopback proxy. kube-sim's proxies are simulated; to make the new revision's worse,
// the test gives its proxy image (proxyv2:1.30.3) 300 ms per request, against about 1 ms, so the
// verdict does not depend on how busy the machine is.
// Rollouts of local processes and four benchmark runs per upgrade: generous.
jest.setTimeout(600_000);

const SLOW_PROXY = 'proxyv2:1.30.3';
const PROXY_129 = 'docker.io/istio/proxyv2:1.29.6';
const PROXY_130 = 'registry.istio.io/release/proxyv2:1.30.3';

/**
 * 1,100 requests at 200 req/s over 80 connections (0.4 s apart on each: room for 300 ms), after a
 * warm-up: the candidate runs against echo processes that have just started.
 */
const PROFILE = {
  name: 'echo-gate',
  endpoints: [{ url: 'http://echo.echo.svc.cluster.local:8080/' }],
  connections: 80,
  rate: 200,
  requestCount: 1100,
  warmup: '2s',
  inCluster: { cluster: 'dev', namespace: 'default', pods: 1 },
};
// The slow proxies add 300 ms: the failing canary breaks a 100 ms budget by 200 ms at least. The
// passing one has no added latency and a 200 ms budget, far above what load alone changes in p99.
const BUDGET = { p99Increase: '100ms', errorRateIncrease: 0.01 };
const PASSING_BUDGET = { p99Increase: '200ms', errorRateIncrease: 0.01 };

describe('performance-gated Istio canary upgrades (real backend, kube-sim)', () => {
  let sim: KubeSim;
  let backend: TestBackend;
  let cluster: HttpClusterView;
  let profileId: string;
  const audit = recordingAuditor();

  beforeAll(async () => {
    sim = await startKubeSim({
      seed: [path.join(REPO, 'examples/cluster')],
      localImages: {
        'meshstage/loadgen': { command: [process.execPath, MESHPERF] },
        'meshstage/echo': {
          command: [process.execPath, MESHPERF],
          args: ['server'],
        },
      },
    });
    cluster = new HttpClusterView({
      url: sim.url,
      token: sim.token,
      name: 'dev',
    });
    backend = await startTestBackend({
      features: [
        meshPlugin,
        istioModule,
        catalogServiceMock.factory({ entities: [] }),
        createServiceFactory({
          service: coreServices.auditor,
          deps: {},
          factory: () => audit.auditor,
        }),
        mockServices.rootConfig.factory({
          data: {
            ...kubernetesClustersConfig([
              { name: 'dev', url: sim.url, token: sim.token },
            ]),
            mesh: { charts: { source: 'builtin' } },
          },
        }),
      ],
    });
  });

  afterAll(async () => {
    await backend?.stop();
    await sim?.close();
  });

  const api = () => request(backend.server);

  /** Starts an operation (202 expected) and waits until it ends. */
  async function operate(body: Record<string, unknown>) {
    const res = await api()
      .post('/api/mesh/operations')
      .send({ mesh: 'istio', cluster: 'dev', ...body });
    if (res.status !== 202) throw new Error(JSON.stringify(res.body));
    return settle(res.body.operation.id);
  }

  async function settle(id: string) {
    return eventually(async () => {
      const { body } = await api().get(`/api/mesh/operations/${id}`);
      return ['succeeded', 'failed', 'reverted', 'revert-failed'].includes(
        body.operation.state,
      )
        ? (body as { operation: any; log: Array<{ message: string }> })
        : undefined;
    }, 540_000);
  }

  async function expectSucceeded(body: Record<string, unknown>) {
    const done = await operate(body);
    if (done.operation.state !== 'succeeded') {
      throw new Error(
        `${done.operation.summary}: ${done.operation.state}\n${done.log
          .map(l => l.message)
          .join('\n')}`,
      );
    }
    return done;
  }

  const labelsOf = async (name: string) =>
    (await cluster.list(kubeResources.namespaces)).find(
      n => n.metadata.name === name,
    )?.metadata.labels ?? {};

  /** The istio-proxy images of a namespace's live pods, once every pod has one. */
  const proxyImages = async (namespace: string) => {
    const pods = (
      await cluster.list<KubePod>(kubeResources.pods, { namespace })
    ).filter(p => !p.metadata.deletionTimestamp);
    const images = pods.map(
      p =>
        [...(p.spec?.initContainers ?? []), ...(p.spec?.containers ?? [])].find(
          c => c.name === 'istio-proxy',
        )?.image,
    );
    return pods.length > 0 && images.every(Boolean)
      ? [...new Set(images)].sort().join()
      : undefined;
  };
  const proxiesBecome = (namespace: string, image: string) =>
    eventually(
      async () => ((await proxyImages(namespace)) === image ? true : undefined),
      240_000,
    );

  const istiods = async () =>
    (
      await cluster.list(kubeResources.deployments, {
        namespace: 'istio-system',
      })
    )
      .map(d => d.metadata.name)
      .sort();

  /** The restart annotations of a namespace's Deployments: changed by every rollout we start. */
  const restarts = async (namespace: string) =>
    (await cluster.list(kubeResources.deployments, { namespace })).map(
      (d: KubeObject) =>
        (d as any).spec?.template?.metadata?.annotations?.[
          'kubectl.kubernetes.io/restartedAt'
        ] ?? null,
    );

  const gatedUpgrade = (gate: Record<string, unknown> = {}) => ({
    action: 'upgrade',
    toVersion: '1.30.3',
    strategy: 'canary',
    revisionTags: ['default'],
    gate: { profile: profileId, budget: BUDGET, ...gate },
  });

  const gateRuns = async (): Promise<BenchmarkRun[]> =>
    (await api().get(`/api/mesh/benchmark/runs?profileId=${profileId}`)).body
      .items;

  it('sets up Istio 1.29.6 tagged default, the echo sample and bookinfo in the mesh, and a benchmark profile', async () => {
    await expectSucceeded({
      action: 'install',
      version: '1.29.6',
      revision: '1-29-6',
      revisionTags: ['default'],
      profile: 'minimal',
    });
    await expectSucceeded({ action: 'deploy-sample', sample: 'echo' });
    await expectSucceeded({ action: 'onboard', namespace: 'bookinfo' });
    expect(await labelsOf('echo')).toMatchObject({
      'istio-injection': 'enabled',
    });
    await proxiesBecome('echo', PROXY_129);
    await proxiesBecome('bookinfo', PROXY_129);

    const created = await api()
      .post('/api/mesh/benchmark/profiles')
      .send(PROFILE);
    expect(created.status).toBe(201);
    profileId = created.body.id;
  });

  it('refuses a bad gate with a 400 naming the field, and starts nothing', async () => {
    const refused = async (body: Record<string, unknown>) => {
      const res = await api()
        .post('/api/mesh/operations')
        .send({ mesh: 'istio', cluster: 'dev', ...body });
      expect(res.status).toBe(400);
      return res.body.error.message as string;
    };
    expect(await refused(gatedUpgrade({ profile: 'no-such-profile' }))).toBe(
      "Invalid body field 'gate.profile': Invalid uuid",
    );
    const unknown = '00000000-0000-4000-8000-000000000000';
    expect(await refused(gatedUpgrade({ profile: unknown }))).toBe(
      `Invalid body field 'gate.profile': no benchmark profile ${unknown}`,
    );
    expect(await refused(gatedUpgrade({ namespace: 'kube-system' }))).toBe(
      "Invalid body field 'gate.namespace': namespace kube-system is not in the istio mesh on cluster dev; namespaces in it: bookinfo, echo",
    );
    expect(
      await refused(
        gatedUpgrade({ budget: { ...BUDGET, p99Increase: '-20%' } }),
      ),
    ).toBe(
      "Invalid body field 'gate.budget.p99Increase': must not be negative (got -20%)",
    );
    expect(
      await refused(
        gatedUpgrade({ budget: { ...BUDGET, errorRateIncrease: -0.1 } }),
      ),
    ).toBe(
      "Invalid body field 'gate.budget.errorRateIncrease': must not be negative",
    );
    expect(await refused({ ...gatedUpgrade(), strategy: 'in-place' })).toBe(
      "Invalid body field 'gate': only canary upgrades can be gated (strategy is in-place)",
    );
    expect(
      await refused(
        gatedUpgrade({
          profile: { ...PROFILE, endpoints: [{ url: 'ftp://x/' }] },
        }),
      ),
    ).toBe(
      "Invalid body field 'gate.profile.endpoints.0.url': 'ftp://x/' must be an http:// or https:// URL",
    );
    expect(
      await refused(
        gatedUpgrade({
          profile: {
            ...PROFILE,
            endpoints: [{ url: 'http://127.0.0.1:9/' }],
            inCluster: undefined,
          },
        }),
      ),
    ).toMatch(
      /^Invalid body field 'gate.namespace': required: the profile's first endpoint \(http:\/\/127\.0\.0\.1:9\/\) names no cluster Service/,
    );
    const ops = (await api().get('/api/mesh/operations')).body.items;
    expect(ops.filter((o: any) => o.action === 'upgrade')).toEqual([]);
    expect(await istiods()).toEqual(['istiod-1-29-6']);
  });

  it('shows the gate in the dry-run plan', async () => {
    const res = await api()
      .post('/api/mesh/operations')
      .send({ mesh: 'istio', cluster: 'dev', ...gatedUpgrade(), dryRun: true });
    expect(res.status).toBe(200);
    expect(res.body.plan.summary).toMatch(
      /gated by benchmark 'echo-gate' on namespace echo$/,
    );
    const steps = res.body.plan.steps.map(
      (s: any, i: number) => `${i + 1}. ${s.description}`,
    );
    const [baseline, candidate] = steps.filter((s: string) =>
      s.includes("Benchmark 'echo-gate'"),
    );
    expect(baseline).toMatch(
      /^\d+\. Benchmark 'echo-gate' on namespace echo, served by stable revision 1-29-6 \(baseline\): 1100 requests after a 2s warm-up, 80 connections, 200 req\/s, in cluster dev, namespace default$/,
    );
    expect(candidate).toMatch(/served by revision 1-30-3 \(candidate\)/);
    expect(res.body.diff).toContain(
      'Gate: promote revision 1-30-3 only if p99 rose at most 100ms and the error rate at most 0.01 beyond run-to-run noise; else move namespace echo back to 1-29-6 and stop',
    );
    expect(res.body.diff).toContain(
      '    Patch Namespace/echo: move back to tag default (revision 1-29-6)',
    );
    expect(await istiods()).toEqual(['istiod-1-29-6']);
  });

  it("shows a stored gate profile's secret headers as *** in the plan, never their sealed text", async () => {
    const stored = (
      await api().get(`/api/mesh/benchmark/profiles/${profileId}`)
    ).body;
    const {
      id: _id,
      createdAt: _c,
      updatedAt: _u,
      createdBy: _b,
      // In-cluster runs cannot carry secret headers: this one runs in the backend's process.
      inCluster: _i,
      ...spec
    } = stored;
    const secret = 'Bearer gate-s3cret-9f1c';
    const withSecret = {
      ...spec,
      name: 'echo-gate-secret',
      endpoints: spec.endpoints.map((e: Record<string, unknown>) => ({
        ...e,
        headers: { authorization: secret },
        secretHeaders: ['authorization'],
      })),
    };
    const created = await api()
      .post('/api/mesh/benchmark/profiles')
      .send(withSecret);
    expect(created.body.error?.message).toBeUndefined();
    expect(created.status).toBe(201);
    const res = await api()
      .post('/api/mesh/operations')
      .send({
        mesh: 'istio',
        cluster: 'dev',
        ...gatedUpgrade({ profile: created.body.id }),
        dryRun: true,
      });
    expect(res.status).toBe(200);
    const benchmarks = res.body.plan.steps.filter(
      (s: any) => s.type === 'benchmark',
    );
    expect(benchmarks).toHaveLength(2);
    for (const step of benchmarks) {
      expect(step.profile.endpoints[0].headers).toEqual({
        authorization: '***',
      });
    }
    expect(JSON.stringify(res.body)).not.toMatch(/gate-s3cret|sealed:/);
    // Inline gate profiles cannot carry secrets at all.
    const inline = await api()
      .post('/api/mesh/operations')
      .send({
        mesh: 'istio',
        cluster: 'dev',
        ...gatedUpgrade({ profile: withSecret }),
        dryRun: true,
      });
    expect(inline.status).toBe(400);
    expect(inline.body.error.message).toBe(
      "Invalid body field 'gate.profile.endpoints.0.secretHeaders': secret headers are kept in saved profiles only: save the profile, then run it by its id",
    );
    expect(
      (await api().delete(`/api/mesh/benchmark/profiles/${created.body.id}`))
        .status,
    ).toBe(204);
  });

  let failedId: string;

  it('rolls the canary namespace back when its benchmark breaks the budget, stops, and says why', async () => {
    sim.setProxyLatency(SLOW_PROXY, 300);
    const bookinfoRestarts = await restarts('bookinfo');
    const before = (await gateRuns()).length;

    const { operation, log } = await operate(gatedUpgrade());
    failedId = operation.id;
    expect(operation.state).toBe('failed');
    expect(operation.error).toMatch(
      /^canary gate: p99 rose [\d.]+% \([\d.]+ → [\d.]+ ms; budget 100ms\) beyond noise ±[\d.]+ ms; namespace echo moved back to 1-29-6$/,
    );
    const messages = log.map(l => l.message);
    expect(messages.at(-1)).toBe(operation.error);
    expect(messages).toContainEqual(
      expect.stringMatching(
        /^Canary gate failed: p99 rose .*; baseline run \S+, candidate run \S+ \(the mesh proxies of cluster dev are simulated/,
      ),
    );
    expect(messages).toContainEqual(
      expect.stringMatching(
        /^Gate rollback 1\/\d+: Patch Namespace\/echo: move back to tag default \(revision 1-29-6\)$/,
      ),
    );

    // The namespace follows the tag again, its pods are back on the stable proxy.
    expect(await labelsOf('echo')).toMatchObject({
      'istio-injection': 'enabled',
    });
    expect(await labelsOf('echo')).not.toHaveProperty(['istio.io/rev']);
    await proxiesBecome('echo', PROXY_129);
    // Nothing else moved: bookinfo was not restarted, the tag still points at 1-29-6.
    expect(await restarts('bookinfo')).toEqual(bookinfoRestarts);
    expect(await proxyImages('bookinfo')).toBe(PROXY_129);
    const webhook = await cluster.list(
      {
        group: 'admissionregistration.k8s.io',
        version: 'v1',
        plural: 'mutatingwebhookconfigurations',
      },
      {},
    );
    expect(
      webhook.find(w => w.metadata.name === 'istio-revision-tag-default')
        ?.metadata.labels?.['istio.io/rev'],
    ).toBe('1-29-6');

    // Both runs are ordinary stored runs: the candidate saw the slow proxies.
    const runs = (await gateRuns()).slice(
      0,
      (await gateRuns()).length - before,
    );
    expect(runs.map(r => [r.trigger, r.state, r.meshVersion])).toEqual([
      ['operation', 'succeeded', '1.30.3'],
      ['operation', 'succeeded', '1.29.6'],
    ]);
    const candidate = await api().get(
      `/api/mesh/benchmark/results/${runs[0].id}`,
    );
    expect(candidate.body.result.latencyMs.p99).toBeGreaterThanOrEqual(300);
    expect(candidate.body.environment.simulatedProxies).toMatchObject({
      cluster: 'dev',
    });

    const gateEvents = audit.events.filter(
      e => e.eventId === 'mesh-operation-canary-gate',
    );
    expect(gateEvents.at(-1)).toMatchObject({
      outcome: 'success',
      meta: {
        operationId: operation.id,
        namespace: 'echo',
        promote: false,
        candidateRunId: runs[0].id,
        baselineRunId: runs[1].id,
      },
    });

    // A resume measures again, from the baseline.
    const resume = await api()
      .post(`/api/mesh/operations/${operation.id}/resume`)
      .send({ dryRun: true });
    expect(resume.status).toBe(200);
    expect(resume.body.plan.steps[0]).toMatchObject({
      type: 'benchmark',
      role: 'baseline',
    });
  });

  it('reverts the failed canary: the new revision is removed', async () => {
    const res = await api()
      .post(`/api/mesh/operations/${failedId}/revert`)
      .send({});
    expect(res.status).toBe(202);
    const { operation } = await settle(failedId);
    expect(operation.state).toBe('reverted');
    expect(await istiods()).toEqual(['istiod-1-29-6']);
    await proxiesBecome('echo', PROXY_129);
  });

  it('promotes a canary whose benchmark is within budget: every namespace moves', async () => {
    sim.setProxyLatency(SLOW_PROXY, 0);
    const { operation, log } = await expectSucceeded(
      gatedUpgrade({ budget: PASSING_BUDGET }),
    );
    const messages = log.map(l => l.message);
    expect(messages).toContainEqual(
      expect.stringMatching(
        /^Canary gate passed: p99 (rose|fell|unchanged) .*budget 200ms.*; error rate/,
      ),
    );
    expect(
      messages.filter(m =>
        /^Benchmark run \S+ queued \((baseline|candidate)/.test(m),
      ),
    ).toHaveLength(2);
    expect(await istiods()).toEqual(['istiod-1-30-3']);
    expect(await labelsOf('echo')).toMatchObject({
      'istio-injection': 'enabled',
    });
    expect(await labelsOf('echo')).not.toHaveProperty(['istio.io/rev']);
    await proxiesBecome('echo', PROXY_130);
    await proxiesBecome('bookinfo', PROXY_130);
    expect(
      audit.events.filter(
        e =>
          e.eventId === 'mesh-operation-canary-gate' &&
          e.meta?.operationId === operation.id,
      ),
    ).toMatchObject([{ outcome: 'success', meta: { promote: true } }]);
    expect(
      audit.events.find(
        e =>
          e.eventId === 'mesh-operation-create' &&
          e.result?.operationId === operation.id,
      )?.meta,
    ).toMatchObject({
      action: 'upgrade',
      gateProfile: profileId,
      gateBudget: 'p99 +200ms, error rate +0.01',
    });
  });
});
