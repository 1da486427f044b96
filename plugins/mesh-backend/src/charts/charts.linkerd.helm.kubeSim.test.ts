import { createBackendModule } from '@backstage/backend-plugin-api';
import { startKubeSim } from '@meshstage/kube-sim';
import { LinkerdAdapter } from '@meshstage/plugin-mesh-backend-module-linkerd';
import type { PlanObject } from '@meshstage/plugin-mesh-common';
import {
  InMemoryClusterView,
  MemoryPlanSecrets,
  eventually,
  meshAdaptersExtensionPoint,
} from '@meshstage/plugin-mesh-node';
import request from 'supertest';
import { stringify } from 'yaml';
import { runOperation } from '../__testUtils__/runOperation';
import {
  startChartRepo,
  tarGz,
  type ServedChart,
} from './__testUtils__/chartRepo';
import {
  chartsBackends,
  helmForTests,
  simClient,
} from './__testUtils__/helmBackend';

jest.setTimeout(300_000);

const { binary: helmBinary, describeWithHelm } = helmForTests(
  'the Linkerd helm end-to-end test',
);

/** Label every object of our test charts carries: proof that helm rendered it. */
const MARKER = 'meshstage.test/rendered-by';
const CP = { 'linkerd.io/control-plane-ns': 'linkerd' };
const ANCHORS_PLACEHOLDER = 'test-anchors';

/**
 * The built-in renderer's control plane for a version (the planner without the charts service),
 * with trust anchors already on the cluster so that it makes no keys. Namespace, Secrets and the
 * trust-roots ConfigMap are MeshStage's own with the charts, so they are left out.
 */
async function builtinObjects(version: string): Promise<PlanObject[]> {
  const cluster = new InMemoryClusterView('dev', [
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'linkerd-identity-trust-roots', namespace: 'linkerd' },
      data: { 'ca-bundle.crt': ANCHORS_PLACEHOLDER },
    } as any,
  ]);
  const plan = await new LinkerdAdapter().plan!(
    { action: 'install', mesh: 'linkerd', cluster: 'dev', version },
    {
      cluster,
      detection: {
        installed: false,
        versions: [],
        revisions: [],
        components: [],
        namespaces: [],
      },
      secrets: new MemoryPlanSecrets(),
    },
  );
  return plan.steps
    .flatMap(s => (s.type === 'apply' ? [s.object as PlanObject] : []))
    .filter(
      o =>
        o.kind !== 'Namespace' &&
        o.kind !== 'Secret' &&
        o.metadata.name !== 'linkerd-identity-trust-roots',
    );
}

/** One object as a template: our marker added, `{{` of the object's own text escaped. */
function template(object: PlanObject): string {
  const o = JSON.parse(JSON.stringify(object));
  o.metadata.labels = { ...o.metadata.labels, [MARKER]: '__MARKER__' };
  return stringify(o, { lineWidth: 0 })
    .replace(/\{\{/g, '{{`{{`}}')
    .replace(/__MARKER__/g, 'helm-{{ .Chart.Name }}-{{ .Chart.Version }}');
}

/**
 * Small charts of our own named like Linkerd's, `linkerd-crds` (chart version only, as Linkerd's
 * edge CRD chart) and `linkerd-control-plane` (appVersion = the Linkerd version): the built-in
 * renderer's objects for `objectsOf` as templates, a ConfigMap showing the values the chart got
 * and, with `legacy`, a ConfigMap the next version drops (carrying Linkerd's control-plane label,
 * which is how upgrades find the old release's objects).
 */
async function linkerdCharts(options: {
  chartVersion: string;
  appVersion: string;
  crdsVersion?: string;
  objectsOf: string;
  legacy?: boolean;
  deprecated?: boolean;
}): Promise<{ crds: ServedChart; controlPlane: ServedChart }> {
  const objects = await builtinObjects(options.objectsOf);
  const isCrd = (o: PlanObject) => o.kind === 'CustomResourceDefinition';
  const files = (name: string, items: PlanObject[], appVersion?: string) => {
    const out: Record<string, string> = {
      [`${name}/Chart.yaml`]: stringify({
        apiVersion: 'v2',
        name,
        version:
          name === 'linkerd-crds'
            ? options.crdsVersion ?? options.chartVersion
            : options.chartVersion,
        ...(appVersion ? { appVersion } : {}),
      }),
      [`${name}/values.yaml`]: stringify({
        identityTrustAnchorsPEM: '',
        identity: { externalCA: false, issuer: { scheme: 'linkerd.io/tls' } },
        testValue: 'chart-default',
      }),
    };
    items.forEach((o, i) => {
      out[`${name}/templates/object-${i}.yaml`] = template(o);
    });
    return out;
  };
  const cp = files(
    'linkerd-control-plane',
    objects.filter(o => !isCrd(o)),
    options.appVersion,
  );
  cp['linkerd-control-plane/templates/values.yaml'] = [
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata:',
    '  name: meshstage-test-values',
    '  namespace: {{ .Release.Namespace }}',
    '  labels:',
    `    linkerd.io/control-plane-ns: {{ .Release.Namespace }}`,
    `    ${MARKER}: helm-{{ .Chart.Name }}-{{ .Chart.Version }}`,
    'data:',
    '  identityTrustAnchorsPEM: {{ .Values.identityTrustAnchorsPEM | quote }}',
    '  identity: {{ toJson .Values.identity | quote }}',
    '  testValue: {{ .Values.testValue | quote }}',
    '',
  ].join('\n');
  if (options.legacy) {
    cp['linkerd-control-plane/templates/legacy.yaml'] = stringify({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'linkerd-legacy',
        namespace: 'linkerd',
        labels: { ...CP, [MARKER]: 'legacy' },
      },
      data: { note: 'dropped by the next version' },
    });
  }
  const crdFiles = files('linkerd-crds', objects.filter(isCrd));
  return {
    crds: {
      name: 'linkerd-crds',
      version: options.crdsVersion ?? options.chartVersion,
      archive: tarGz(crdFiles),
      deprecated: options.deprecated,
    },
    controlPlane: {
      name: 'linkerd-control-plane',
      version: options.chartVersion,
      appVersion: options.appVersion,
      archive: tarGz(cp),
      deprecated: options.deprecated,
    },
  };
}

const both = (c: { crds: ServedChart; controlPlane: ServedChart }) => [
  c.crds,
  c.controlPlane,
];

const linkerdModule = createBackendModule({
  pluginId: 'mesh',
  moduleId: 'linkerd-charts-test',
  register(reg) {
    reg.registerInit({
      deps: { adapters: meshAdaptersExtensionPoint },
      async init({ adapters }) {
        adapters.addAdapter(new LinkerdAdapter());
      },
    });
  },
});

// Linkerd's planner with its charts, end to end: stable and edge Helm repositories on 127.0.0.1
// serving charts named like Linkerd's (chart versions apart from the Linkerd versions, the edge
// CRD chart matched by chart version, the stable one pinned), their indexes read once and
// filtered by channel and range, archives downloaded once, rendered by the real helm with the
// values MeshStage owns (its identity as an external CA) and the user's, applied to kube-sim,
// injected through the chart's webhook, upgraded with a prune, and uninstalled.
describeWithHelm(
  'Linkerd from its charts through helm template (real helm)',
  () => {
    let sim: Awaited<ReturnType<typeof startKubeSim>>;
    let stable: Awaited<ReturnType<typeof startChartRepo>>;
    let edge: Awaited<ReturnType<typeof startChartRepo>>;
    let backends: Awaited<ReturnType<typeof chartsBackends>>;

    beforeAll(async () => {
      sim = await startKubeSim();
      backends = await chartsBackends({ helmBinary });
      stable = await startChartRepo([
        ...both(
          await linkerdCharts({
            chartVersion: '1.16.11',
            crdsVersion: '1.8.0',
            appVersion: 'stable-2.14.10',
            objectsOf: 'stable-2.14.10',
          }),
        ),
        // Below the stable source's range (>=2.14.0).
        ...both(
          await linkerdCharts({
            chartVersion: '1.12.0',
            appVersion: 'stable-2.13.7',
            objectsOf: 'stable-2.14.10',
          }),
        ),
      ]);
      edge = await startChartRepo([
        ...both(
          await linkerdCharts({
            chartVersion: '2026.5.5',
            appVersion: 'edge-26.5.5',
            objectsOf: 'edge-26.5.5',
            legacy: true,
          }),
        ),
        ...both(
          await linkerdCharts({
            chartVersion: '2026.8.3',
            appVersion: 'edge-26.8.3',
            objectsOf: 'edge-26.8.3',
          }),
        ),
        // Below the edge source's range (>=24.11.0), deprecated, and without its CRD chart.
        ...both(
          await linkerdCharts({
            chartVersion: '2024.1.1',
            appVersion: 'edge-24.1.1',
            objectsOf: 'edge-26.5.5',
          }),
        ),
        ...both(
          await linkerdCharts({
            chartVersion: '2026.9.9',
            appVersion: 'edge-26.9.9',
            objectsOf: 'edge-26.8.3',
            deprecated: true,
          }),
        ),
        (
          await linkerdCharts({
            chartVersion: '2026.7.1',
            appVersion: 'edge-26.7.1',
            objectsOf: 'edge-26.8.3',
          })
        ).controlPlane,
      ]);
    });

    afterAll(async () => {
      await backends?.stop();
      await stable?.close();
      await edge?.close();
      await sim?.close();
    });

    it('lists, installs with MeshStage’s identity values, injects, upgrades with a prune and uninstalls', async () => {
      const { server } = await backends.start({
        sim,
        modules: [linkerdModule],
        repositories: { linkerd: { stable: stable.url, edge: edge.url } },
      });
      const api = () => request(server);
      const { get, send, list } = simClient(sim);

      const adapters = await api().get('/api/mesh/adapters');
      const linkerd = adapters.body.items.find((a: any) => a.id === 'linkerd');
      expect(linkerd.supportedVersions).toEqual([
        'stable-2.14.10',
        'edge-26.5.5',
        'edge-26.8.3',
      ]);
      expect(linkerd.versions[0]).toEqual({
        version: 'stable-2.14.10',
        source: 'helm',
        chartSource: 'stable',
        repository: stable.url,
        charts: [
          { name: 'linkerd-crds', version: '1.8.0' },
          { name: 'linkerd-control-plane', version: '1.16.11' },
        ],
      });
      expect(linkerd.versions[1]).toMatchObject({
        version: 'edge-26.5.5',
        chartSource: 'edge',
        repository: edge.url,
        charts: [
          { name: 'linkerd-crds', version: '2026.5.5' },
          { name: 'linkerd-control-plane', version: '2026.5.5' },
        ],
      });
      expect(stable.count('/index.yaml')).toBe(1);
      expect(edge.count('/index.yaml')).toBe(1);

      const refused = await api().post('/api/mesh/operations').send({
        action: 'install',
        mesh: 'linkerd',
        cluster: 'dev',
        version: 'edge-24.1.1',
        dryRun: true,
      });
      expect(refused.status).toBe(400);
      expect(refused.body.error.message).toMatch(
        /edge-24\.1\.1 is not supported/,
      );

      const install = {
        action: 'install',
        mesh: 'linkerd',
        cluster: 'dev',
        version: 'edge-26.5.5',
        values: { testValue: 'from-the-user' },
      };
      const dry = await api()
        .post('/api/mesh/operations')
        .send({ ...install, dryRun: true });
      expect(dry.status).toBe(200);
      const applied = dry.body.plan.steps
        .filter((s: any) => s.type === 'apply')
        .map((s: any) => s.object);
      // MeshStage's own: the namespace, the identity Secrets and trust roots; the rest is helm's.
      const ours = (o: any) =>
        o.kind === 'Namespace' ||
        o.kind === 'Secret' ||
        o.metadata.name === 'linkerd-identity-trust-roots';
      expect(
        applied
          .filter((o: any) => !ours(o))
          .every((o: any) => o.metadata.labels?.[MARKER]),
      ).toBe(true);
      expect(JSON.stringify(dry.body)).not.toContain('PRIVATE KEY');

      const installed = await runOperation(server, install);
      expect(installed.state).toBe('succeeded');
      const destination = await get(
        '/apis/apps/v1/namespaces/linkerd/deployments/linkerd-destination',
      );
      expect(destination.metadata.labels[MARKER]).toBe(
        'helm-linkerd-control-plane-2026.5.5',
      );
      const crds = (
        await list('/apis/apiextensions.k8s.io/v1/customresourcedefinitions')
      ).filter((c: any) => c.metadata.labels?.[MARKER]);
      expect(crds.length).toBeGreaterThan(0);
      expect(
        crds.every(
          (c: any) =>
            c.metadata.labels[MARKER] === 'helm-linkerd-crds-2026.5.5',
        ),
      ).toBe(true);
      // The values MeshStage owns (its trust anchors, an external CA) and the user's.
      const values = (
        await get('/api/v1/namespaces/linkerd/configmaps/meshstage-test-values')
      ).data;
      const roots = (
        await get(
          '/api/v1/namespaces/linkerd/configmaps/linkerd-identity-trust-roots',
        )
      ).data['ca-bundle.crt'];
      expect(roots).toMatch(/BEGIN CERTIFICATE/);
      expect(values.identityTrustAnchorsPEM).toBe(roots);
      expect(JSON.parse(values.identity)).toEqual({
        externalCA: true,
        issuer: { scheme: 'kubernetes.io/tls' },
      });
      expect(values.testValue).toBe('from-the-user');
      // Rendered twice (dry run, run), downloaded once; the index still read once.
      expect(edge.count('/charts/linkerd-control-plane-2026.5.5.tgz')).toBe(1);
      expect(edge.count('/charts/linkerd-crds-2026.5.5.tgz')).toBe(1);
      expect(edge.count('/index.yaml')).toBe(1);

      // The chart's proxy-injector webhook and linkerd-config inject an annotated namespace.
      await send('POST', '/api/v1/namespaces', {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: {
          name: 'shop',
          annotations: { 'linkerd.io/inject': 'enabled' },
        },
      });
      const created = await send('POST', '/api/v1/namespaces/shop/pods', {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'web', labels: { app: 'web' } },
        spec: { containers: [{ name: 'web', image: 'nginx' }] },
      });
      expect(created.status).toBe(201);
      const pod = await eventually(() =>
        get('/api/v1/namespaces/shop/pods/web'),
      );
      expect(
        [...(pod.spec.initContainers ?? []), ...pod.spec.containers].map(
          (c: any) => c.image,
        ),
      ).toContain('cr.l5d.io/linkerd/proxy:edge-26.5.5');

      // edge-26.8.3's chart no longer renders linkerd-legacy: the upgrade deletes it.
      const upgrade = {
        action: 'upgrade',
        mesh: 'linkerd',
        cluster: 'dev',
        toVersion: 'edge-26.8.3',
        strategy: 'in-place',
      };
      const upgradeDry = await api()
        .post('/api/mesh/operations')
        .send({ ...upgrade, dryRun: true });
      expect(upgradeDry.status).toBe(200);
      expect(
        upgradeDry.body.plan.steps.filter((s: any) => s.type === 'delete'),
      ).toEqual([
        expect.objectContaining({
          target: {
            apiVersion: 'v1',
            kind: 'ConfigMap',
            name: 'linkerd-legacy',
            namespace: 'linkerd',
          },
          description: expect.stringMatching(
            /left by the release \(linkerd\.io\/control-plane-ns=linkerd\); not in the new one/,
          ),
        }),
      ]);
      const upgraded = await runOperation(server, upgrade);
      expect(upgraded.state).toBe('succeeded');
      expect(
        (
          await get(
            '/apis/apps/v1/namespaces/linkerd/deployments/linkerd-destination',
          )
        ).metadata.labels[MARKER],
      ).toBe('helm-linkerd-control-plane-2026.8.3');
      expect(
        await get('/api/v1/namespaces/linkerd/configmaps/linkerd-legacy'),
      ).toBeUndefined();
      const status = await api().get('/api/mesh/status?mesh=linkerd');
      expect(status.body.items[0]).toMatchObject({
        installed: true,
        versions: ['edge-26.8.3'],
      });

      const uninstalled = await runOperation(server, {
        action: 'uninstall',
        mesh: 'linkerd',
        cluster: 'dev',
      });
      expect(uninstalled.state).toBe('succeeded');
      expect(await get('/api/v1/namespaces/linkerd')).toBeUndefined();
      expect(
        (
          await list('/apis/apiextensions.k8s.io/v1/customresourcedefinitions')
        ).filter((c: any) => c.metadata.labels?.[MARKER]),
      ).toEqual([]);
      expect(
        (
          await list(
            '/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations',
          )
        ).filter((w: any) => w.metadata.labels?.[MARKER]),
      ).toEqual([]);
    });
  },
);
