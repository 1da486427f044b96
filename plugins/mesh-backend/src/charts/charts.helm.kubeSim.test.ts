import { createBackendModule } from '@backstage/backend-plugin-api';
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
import { runOperation } from '../__testUtils__/runOperation';
import {
  demoChartFiles,
  startChartRepo,
  tarGz,
} from './__testUtils__/chartRepo';
import {
  chartsBackends,
  helmForTests,
  simClient,
} from './__testUtils__/helmBackend';

jest.setTimeout(180_000);

const { binary: helmBinary, describeWithHelm } = helmForTests(
  'the helm end-to-end test',
);

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
  let backends: Awaited<ReturnType<typeof chartsBackends>>;
  let server: Awaited<ReturnType<typeof backends.start>>['server'];
  let refresh: () => Promise<void>;

  beforeAll(async () => {
    sim = await startKubeSim();
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
    backends = await chartsBackends({ helmBinary });
    // No index read yet: the test triggers the scheduled refresh itself.
    ({ server, refresh } = await backends.start({
      sim,
      modules: [demoModule],
      repositories: { demo: repo.url },
      refreshed: false,
    }));
  });

  afterAll(async () => {
    await backends?.stop();
    await repo?.close();
    await sim?.close();
  });

  const api = () => request(server);
  const live = async (plural: string, name: string) =>
    simClient(sim).get(
      `/${
        plural === 'deployments' ? 'apis/apps/v1' : 'api/v1'
      }/namespaces/${NAMESPACE}/${plural}/${name}`,
    );

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
    await refresh();
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

    const installed = await runOperation(server, install);
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
    const upgraded = await runOperation(server, upgrade);
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
    await refresh();
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
