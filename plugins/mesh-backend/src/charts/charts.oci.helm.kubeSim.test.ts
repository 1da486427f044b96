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
import { demoChartFiles, tarGz } from './__testUtils__/chartRepo';
import {
  chartsBackends,
  helmForTests,
  simClient,
} from './__testUtils__/helmBackend';
import { startOciRegistry } from './__testUtils__/ociRegistry';

jest.setTimeout(180_000);

const { binary: helmBinary, describeWithHelm } = helmForTests(
  'the OCI helm end-to-end test',
);

const NAMESPACE = 'demo-system';
const RELEASE = 'demo';
const USER = 'mirror-reader';
const PASSWORD = 'oci-e2e-Secret!';

const demoArchive = (version: string) =>
  tarGz(demoChartFiles('demo', version, version));

/** An adapter whose planner installs the `demo` chart through `ctx.vendorManifests`. */
function demoAdapter(): MeshAdapter {
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
    async detect(cluster) {
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
    },
    async plan(req, ctx): Promise<Plan> {
      const vendor = ctx.vendorManifests;
      if (!vendor) throw new Error('no vendor manifests in the plan context');
      if (req.action !== 'install') {
        throw new Error(`${req.action} is not planned by this adapter`);
      }
      const objects = await vendor.render({
        version: req.version,
        chart: 'demo',
        release: RELEASE,
        namespace: NAMESPACE,
        values: { greeting: 'from-oci', legacy: { enabled: false } },
      });
      return {
        request: req,
        summary: `install Demo ${req.version}`,
        steps: [
          applyStep({
            apiVersion: 'v1',
            kind: 'Namespace',
            metadata: { name: NAMESPACE },
          }),
          ...objects.map(applyStep),
          waitStep(deploymentRef(RELEASE, NAMESPACE), 'Available'),
        ],
      };
    },
  };
}

const demoModule = createBackendModule({
  pluginId: 'mesh',
  moduleId: 'demo-oci-charts',
  register(reg) {
    reg.registerInit({
      deps: { adapters: meshAdaptersExtensionPoint },
      async init({ adapters }) {
        adapters.addAdapter(demoAdapter());
      },
    });
  },
});

// The OCI path end to end: a private registry on 127.0.0.1 (Bearer token flow with a user name
// and password from mesh.charts), its tags listed and filtered, the archive pulled by the real
// helm (checked against the manifest) and rendered by helm template, then installed on kube-sim.
describeWithHelm('vendor charts from an OCI registry (real helm)', () => {
  let sim: Awaited<ReturnType<typeof startKubeSim>>;
  let registry: Awaited<ReturnType<typeof startOciRegistry>>;
  let backends: Awaited<ReturnType<typeof chartsBackends>>;
  let server: Awaited<ReturnType<typeof backends.start>>['server'];
  let refresh: () => Promise<void>;

  beforeAll(async () => {
    sim = await startKubeSim();
    registry = await startOciRegistry({
      username: USER,
      password: PASSWORD,
      pageSize: 2,
    });
    for (const version of ['0.9.0', '1.0.0', '1.1.0', '1.2.0-rc.1', '2.0.0']) {
      registry.pushChart(
        'mirror/demo/demo',
        { name: 'demo', version, appVersion: version },
        demoArchive(version),
      );
    }
    backends = await chartsBackends({ helmBinary });
    ({ server, refresh } = await backends.start({
      sim,
      modules: [demoModule],
      repositories: {
        demo: {
          url: registry.ref('mirror/demo'),
          username: USER,
          password: PASSWORD,
          plainHttp: true,
        },
      },
      refreshed: false,
    }));
  });

  afterAll(async () => {
    await backends?.stop();
    await registry?.close();
    await sim?.close();
  });

  const api = () => request(server);
  const demoInfo = async () => {
    const res = await api().get('/api/mesh/adapters');
    expect(res.status).toBe(200);
    return res.body.items.find((a: any) => a.id === 'demo');
  };

  it('lists the registry’s versions in range and installs one pulled through helm', async () => {
    expect((await demoInfo()).versions).toEqual([]);
    expect(registry.requests).toEqual([]);
    await refresh();
    const adapters = await demoInfo();
    expect(adapters.supportedVersions).toEqual(['1.0.0', '1.1.0']);
    expect(adapters.versions[0]).toEqual({
      version: '1.0.0',
      source: 'helm',
      chartSource: 'release',
      repository: registry.ref('mirror/demo'),
      charts: [{ name: 'demo', version: '1.0.0' }],
    });
    expect(adapters.charts.chartSources).toEqual([
      expect.objectContaining({
        repository: registry.ref('mirror/demo'),
        via: 'config',
        indexReadAt: expect.any(String),
      }),
    ]);
    expect(JSON.stringify(adapters)).not.toContain(PASSWORD);
    expect(registry.listings('mirror/demo/demo')).toBe(1);

    const install = {
      action: 'install',
      mesh: 'demo',
      cluster: 'dev',
      version: '1.1.0',
    };
    const dry = await api()
      .post('/api/mesh/operations')
      .send({ ...install, dryRun: true });
    expect(dry.status).toBe(200);
    expect(dry.body.diff).toContain('from-oci');
    const installed = await runOperation(server, install);
    expect(installed.state).toBe('succeeded');
    const config = await simClient(sim).get(
      `/api/v1/namespaces/${NAMESPACE}/configmaps/demo-config`,
    );
    expect(config.data).toMatchObject({
      greeting: 'from-oci',
      version: '1.1.0',
    });
    expect(config.metadata.labels['helm.sh/chart']).toBe('demo-1.1.0');
    const status = await api().get('/api/mesh/status?mesh=demo');
    expect(status.body.items[0]).toMatchObject({
      installed: true,
      versions: ['1.1.0'],
    });
    // One pull (the dry run's), the install rendered from the archive cache; one listing.
    const layerPulls = registry.requests.filter(
      r => r.method === 'GET' && r.path.includes('/blobs/') && r.authorization,
    );
    const configAndLayer = 2;
    expect(layerPulls).toHaveLength(configAndLayer);
    expect(registry.listings('mirror/demo/demo')).toBe(1);

    // A version pushed later is installable after the next scheduled read.
    registry.pushChart(
      'mirror/demo/demo',
      { name: 'demo', version: '1.1.1', appVersion: '1.1.1' },
      demoArchive('1.1.1'),
    );
    await refresh();
    expect((await demoInfo()).supportedVersions).toEqual([
      '1.0.0',
      '1.1.0',
      '1.1.1',
    ]);
    expect(registry.listings('mirror/demo/demo')).toBe(2);
  });
});
