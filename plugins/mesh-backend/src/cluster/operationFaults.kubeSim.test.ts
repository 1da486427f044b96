import {
  mockServices,
  startTestBackend,
  type TestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { startKubeSim } from '@meshstage/kube-sim';
import istioModule from '@meshstage/plugin-mesh-backend-module-istio';
import { HttpClusterView, kubeResources } from '@meshstage/plugin-mesh-node';
import request from 'supertest';
import { meshPlugin } from '../plugin';
import { kubernetesClustersConfig } from '../__testUtils__/kubernetesConfig';
import { runOperation } from '../__testUtils__/runOperation';

// Istio installs through the real mesh backend while kube-sim misbehaves during the apply steps.
// Attempts are counted by kube-sim's fault rules (each sees every attempt at its object), never
// timed. Real rollouts on a loaded machine: generous.
jest.setTimeout(240_000);

type Sim = Awaited<ReturnType<typeof startKubeSim>>;

const INSTALL = { action: 'install', mesh: 'istio', version: '1.24.2' };

describe('lifecycle operations against a misbehaving API server', () => {
  // One cluster per case, so that a failed install leaves nothing in another case's way.
  let flaky: Sim;
  let forbidding: Sim;
  let invalidating: Sim;
  let backend: TestBackend;

  beforeAll(async () => {
    [flaky, forbidding, invalidating] = await Promise.all([
      startKubeSim(),
      startKubeSim(),
      startKubeSim(),
    ]);
    backend = await startTestBackend({
      features: [
        meshPlugin,
        istioModule,
        catalogServiceMock.factory({ entities: [] }),
        mockServices.rootConfig.factory({
          data: {
            ...kubernetesClustersConfig([
              { name: 'flaky', url: flaky.url, token: flaky.token },
              {
                name: 'forbidding',
                url: forbidding.url,
                token: forbidding.token,
              },
              {
                name: 'invalidating',
                url: invalidating.url,
                token: invalidating.token,
              },
            ]),
            mesh: {
              // a connection cut after the answer's headers is ended by this timeout
              clusterTimeout: '3s',
              charts: { source: 'builtin' },
            },
          },
        }),
      ],
    });
  });

  afterAll(async () => {
    await backend?.stop();
    await Promise.all([
      flaky?.close(),
      forbidding?.close(),
      invalidating?.close(),
    ]);
  });

  const view = (sim: Sim) =>
    new HttpClusterView({ url: sim.url, token: sim.token, name: 'view' });
  const istiod = async (sim: Sim) =>
    (
      await view(sim).list(kubeResources.deployments, {
        namespace: 'istio-system',
      })
    ).map(d => d.metadata.name);
  const detail = async (id: string) =>
    (await request(backend.server).get(`/api/mesh/operations/${id}`)).body;

  it('completes an install through 429s with Retry-After, 500s, a 503 and cut connections', async () => {
    const patch = (kind: string, name: string) => ({
      verbs: ['patch' as const],
      resources: [kind],
      names: [name],
    });
    flaky.faults.failNext({
      status: 429,
      retryAfter: 1,
      count: 2,
      match: patch('deployments', 'istiod'),
    });
    flaky.faults.failNext({ status: 500, match: patch('configmaps', 'istio') });
    flaky.faults.failNext({
      status: 503,
      match: patch('serviceaccounts', 'istiod'),
    });
    flaky.faults.failNext({
      status: 'cut',
      cutAt: 'headers',
      match: patch('services', 'istiod'),
    });
    flaky.faults.failNext({
      status: 'cut',
      cutAt: 'request',
      match: patch('configmaps', 'istio-sidecar-injector'),
    });
    // the step's read of the live object is retried too
    flaky.faults.failNext({
      status: 500,
      match: { verbs: ['get'], resources: ['deployments'], names: ['istiod'] },
    });

    const op = await runOperation(backend.server, {
      ...INSTALL,
      cluster: 'flaky',
    });
    const { operation, log } = await detail(op.id);
    expect([op.state, op.error]).toEqual(['succeeded', undefined]);
    expect(log.at(-1).message).toMatch(/^Succeeded/);
    expect(await istiod(flaky)).toEqual(['istiod']);

    // every fault happened, and each faulted request was repeated until it went through
    expect(
      flaky.faults.injected
        .map(f => `${f.kind} ${f.verb} ${f.resource}/${f.name}`)
        .sort(),
    ).toEqual([
      'cut patch configmaps/istio-sidecar-injector',
      'cut patch services/istiod',
      'error500 get deployments/istiod',
      'error500 patch configmaps/istio',
      'error503 patch serviceaccounts/istiod',
      'throttle429 patch deployments/istiod',
      'throttle429 patch deployments/istiod',
    ]);
    const stats = flaky.faults.stats().map(s => [s.matched, s.injected]);
    expect(stats.slice(0, 5)).toEqual([
      [3, 2], // two 429s, then the apply
      [2, 1],
      [2, 1],
      [2, 1], // the cut apply landed; its repeat changed nothing
      [2, 1],
    ]);
    // the read after the 500, and then the wait step's reads of the rollout
    expect(stats[5][0]).toBeGreaterThanOrEqual(2);
    expect(stats[5][1]).toBe(1);

    // The step log says which steps needed retries, how many attempts and why; the other steps'
    // lines mention none.
    const steps = operation.plan.steps as any[];
    const applyStep = (kind: string, name: string) => {
      const i = steps.findIndex(
        st =>
          st.type === 'apply' &&
          st.object.kind === kind &&
          st.object.metadata.name === name,
      );
      return `Step ${i + 1}/${steps.length} done: created (… ms); `;
    };
    const core = '/api/v1/namespaces/istio-system';
    const apps = '/apis/apps/v1/namespaces/istio-system';
    expect(
      (log as Array<{ message: string }>)
        .map(l => l.message)
        .filter(m => /^Step \d+\/\d+ done: .*attempts/.test(m))
        .map(m => m.replace(/\(\d+ ms\)/, '(… ms)')),
    ).toEqual([
      `${applyStep(
        'ServiceAccount',
        'istiod',
      )}apply ${core}/serviceaccounts/istiod after 2 attempts (1 retried: 503 Service Unavailable)`,
      `${applyStep(
        'ConfigMap',
        'istio',
      )}apply ${core}/configmaps/istio after 2 attempts (1 retried: 500 Internal Server Error)`,
      `${applyStep(
        'ConfigMap',
        'istio-sidecar-injector',
      )}apply ${core}/configmaps/istio-sidecar-injector after 2 attempts (1 retried: connection reset)`,
      `${applyStep(
        'Deployment',
        'istiod',
      )}GET ${apps}/deployments/istiod after 2 attempts (1 retried: 500 Internal Server Error); apply ${apps}/deployments/istiod after 3 attempts (2 retried: 429 Too Many Requests ×2)`,
      `${applyStep(
        'Service',
        'istiod',
      )}apply ${core}/services/istiod after 2 attempts (1 retried: no answer within the cluster timeout)`,
    ]);
    expect(log.filter((l: any) => /attempt/.test(l.message)).length).toBe(5);
  });

  it.each([
    [
      403,
      'forbidding',
      () => forbidding,
      'configmaps "istio-sidecar-injector" is forbidden: User "kube-sim-admin" cannot patch resource "configmaps" in API group "" in the namespace "istio-system" (injected by kube-sim --faults)',
    ],
    [
      422,
      'invalidating',
      () => invalidating,
      'ConfigMap "istio-sidecar-injector" is invalid: metadata: Forbidden: injected by kube-sim --faults',
    ],
  ] as const)(
    'fails an install on a permanent %p for one object, with the reason in the step log, and reverts it',
    async (status, cluster, simOf, serverMessage) => {
      const sim = simOf();
      sim.faults.failNext({
        status,
        count: 100,
        match: {
          verbs: ['patch'],
          resources: ['configmaps'],
          names: ['istio-sidecar-injector'],
        },
      });
      const op = await runOperation(backend.server, { ...INSTALL, cluster });
      expect(op.state).toBe('failed');
      const { operation, log } = await detail(op.id);
      const messages: string[] = log.map((l: any) => l.message);
      const failedStep = operation.plan.steps.findIndex(
        (s: any) =>
          s.type === 'apply' &&
          s.object.kind === 'ConfigMap' &&
          s.object.metadata.name === 'istio-sidecar-injector',
      );
      const expected = `Step ${failedStep + 1} (${
        operation.plan.steps[failedStep].description
      }) failed: apply /api/v1/namespaces/istio-system/configmaps/istio-sidecar-injector failed with HTTP ${status}: ${serverMessage}`;
      expect(operation.error).toBe(expected);
      expect(messages.at(-1)).toBe(expected);
      expect(messages.some(m => /^Succeeded/.test(m))).toBe(false);
      // refused once, never repeated
      expect(sim.faults.stats()[0]).toMatchObject({ matched: 1, injected: 1 });
      // the steps before it were applied
      expect(operation.currentStep).toBe(failedStep);

      const revert = await request(backend.server)
        .post(`/api/mesh/operations/${op.id}/revert`)
        .send({});
      expect(revert.status).toBe(202);
      const reverted = await runUntilFinal(op.id);
      expect(reverted.state).toBe('reverted');
      expect(await istiod(sim)).toEqual([]);
    },
  );

  async function runUntilFinal(id: string) {
    for (;;) {
      const { operation } = await detail(id);
      if (!['reverting', 'running', 'planned'].includes(operation.state))
        return operation;
      await new Promise(r => setTimeout(r, 100));
    }
  }
});
