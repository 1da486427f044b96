import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  mockServices,
  startTestBackend,
  type TestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { startKubeSim } from '@meshstage/kube-sim';
import istioModule from '@meshstage/plugin-mesh-backend-module-istio';
import request from 'supertest';
import { meshPlugin } from '../plugin';
import { kubernetesClustersConfig } from '../__testUtils__/kubernetesConfig';
import { runOperation } from '../__testUtils__/runOperation';

const run = promisify(execFile);

// Real rollouts and a real kubectl: generous when the machine is busy.
jest.setTimeout(180_000);

// Drift end to end as a platform engineer meets it: Istio installed through the operations API,
// then changed behind MeshStage's back with `kubectl edit` and `kubectl delete`, reported by the
// drift check, and restored by a reconcile operation.
describe('drift detection and reconcile', () => {
  let sim: Awaited<ReturnType<typeof startKubeSim>>;
  let backend: TestBackend;
  let home: string;

  beforeAll(async () => {
    sim = await startKubeSim();
    home = await fs.mkdtemp(path.join(os.tmpdir(), 'meshstage-drift-'));
    await sim.writeKubeconfig(path.join(home, 'kubeconfig'));
    backend = await startTestBackend({
      features: [
        meshPlugin,
        istioModule,
        catalogServiceMock.factory({ entities: [] }),
        mockServices.rootConfig.factory({
          data: {
            ...kubernetesClustersConfig([
              { name: 'dev', url: sim.url, token: sim.token },
            ]),
          },
        }),
      ],
    });
  });

  afterAll(async () => {
    await backend?.stop();
    await sim?.close();
    if (home) await fs.rm(home, { recursive: true, force: true });
  });

  const api = () => request(backend.server);
  const kubectl = (args: string[], env: Record<string, string> = {}) =>
    run('kubectl', args, {
      env: {
        ...process.env,
        HOME: home,
        KUBECONFIG: path.join(home, 'kubeconfig'),
        ...env,
      },
    });

  const operate = (body: Record<string, unknown>) =>
    runOperation(backend.server, body);

  const check = async () => {
    const res = await api()
      .post('/api/mesh/drift/check')
      .send({ cluster: 'dev', mesh: 'istio' });
    expect(res.status).toBe(200);
    return res.body;
  };

  it('reports a kubectl edit and a deletion, and a reconcile operation restores both', async () => {
    const install = await operate({
      action: 'install',
      mesh: 'istio',
      cluster: 'dev',
      version: '1.24.2',
    });
    expect(install.state).toBe('succeeded');
    expect((await check()).drifted).toBe(false);

    // kubectl edit runs the editor on the object's YAML; sed stands in for the person.
    await kubectl(['edit', '-n', 'istio-system', 'deployment/istiod'], {
      KUBE_EDITOR: 'sed -i -e s#pilot:1.24.2#pilot:1.24.9#',
    });
    await kubectl(['delete', '-n', 'istio-system', 'configmap', 'istio']);

    const report = await check();
    expect(report.drifted).toBe(true);
    const changed = report.objects.filter((o: any) => o.status !== 'in-sync');
    expect(changed.map((o: any) => [o.ref.kind, o.ref.name, o.status])).toEqual(
      [
        ['ConfigMap', 'istio', 'missing'],
        ['Deployment', 'istiod', 'modified'],
      ],
    );
    expect(changed[1].differences).toEqual([
      {
        path: '/spec/template/spec/containers/discovery/image',
        desired: 'docker.io/istio/pilot:1.24.2',
        live: 'docker.io/istio/pilot:1.24.9',
      },
    ]);
    expect(changed[1].operationId).toBe(install.id);

    // The stored report is what the UI and the scheduled check show.
    const stored = await api().get('/api/mesh/drift?cluster=dev');
    expect(stored.body.items).toEqual([report]);

    const dry = await api().post('/api/mesh/operations').send({
      action: 'reconcile',
      mesh: 'istio',
      cluster: 'dev',
      dryRun: true,
    });
    expect(dry.status).toBe(200);
    expect(dry.body.plan.summary).toBe(
      'Reconcile 2 drifted objects of istio on dev',
    );
    expect(dry.body.plan.steps.map((s: any) => s.description)).toEqual([
      'Recreate ConfigMap/istio-system/istio',
      'Restore Deployment/istio-system/istiod (/spec/template/spec/containers/discovery/image)',
      'Wait for Deployment/istio-system/istiod to be Available (up to 300s)',
    ]);

    const reconcile = await operate({
      action: 'reconcile',
      mesh: 'istio',
      cluster: 'dev',
    });
    expect(reconcile.state).toBe('succeeded');
    expect((await check()).drifted).toBe(false);
    const { stdout } = await kubectl([
      'get',
      '-n',
      'istio-system',
      'deployment/istiod',
      '-o',
      'jsonpath={.spec.template.spec.containers[0].image}',
    ]);
    expect(stdout).toBe('docker.io/istio/pilot:1.24.2');

    // Nothing left to do: a second reconcile is refused with the reason.
    const nothing = await api().post('/api/mesh/operations').send({
      action: 'reconcile',
      mesh: 'istio',
      cluster: 'dev',
      dryRun: true,
    });
    expect(nothing.status).toBe(400);
    expect(nothing.body.error.message).toBe(
      'Nothing to reconcile: istio on dev has not drifted',
    );
  });

  it('answers bad input with a 400 naming the field', async () => {
    const res = await api()
      .post('/api/mesh/drift/check')
      .send({ cluster: 'dev', mesh: 'nope' });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe(
      "Unknown mesh 'nope' in body field 'mesh'; known meshes: istio",
    );
    const unknownCluster = await api().get('/api/mesh/drift?cluster=prod');
    expect(unknownCluster.status).toBe(400);
    expect(unknownCluster.body.error.message).toBe(
      "Unknown cluster 'prod' in query parameter 'cluster'; known clusters: dev",
    );
    const missing = await api().post('/api/mesh/drift/check').send({});
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toMatch(/^Invalid body field 'cluster'/);
  });
});
