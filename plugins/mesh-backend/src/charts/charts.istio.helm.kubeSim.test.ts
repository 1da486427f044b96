import { createBackendModule } from '@backstage/backend-plugin-api';
import { startKubeSim } from '@meshstage/kube-sim';
import { IstioAdapter } from '@meshstage/plugin-mesh-backend-module-istio';
import type { PlanObject } from '@meshstage/plugin-mesh-common';
import {
  eventually,
  meshAdaptersExtensionPoint,
  type PlanContext,
} from '@meshstage/plugin-mesh-node';
import request from 'supertest';
import { stringify } from 'yaml';
import { runOperation } from '../__testUtils__/runOperation';
import { startChartRepo, tarGz } from './__testUtils__/chartRepo';
import {
  chartsBackends,
  helmForTests,
  simClient,
} from './__testUtils__/helmBackend';

jest.setTimeout(240_000);

const { binary: helmBinary, describeWithHelm } = helmForTests(
  'the Istio helm end-to-end test',
);

/** Label every object of our test charts carries: proof that helm rendered it. */
const MARKER = 'meshstage.test/rendered-by';

/** The built-in renderer's objects for a version (its planner without the charts service). */
async function builtinObjects(version: string): Promise<PlanObject[]> {
  const plan = await new IstioAdapter().plan!(
    {
      action: 'install',
      mesh: 'istio',
      cluster: 'dev',
      version,
      profile: 'minimal',
    } as any,
    {
      cluster: {} as PlanContext['cluster'],
      detection: {
        installed: false,
        versions: [],
        revisions: [],
        components: [],
        namespaces: [],
      },
    } as unknown as PlanContext,
  );
  return plan.steps.flatMap(s =>
    s.type === 'apply' ? [s.object as PlanObject] : [],
  );
}

/**
 * One object as a template: the chart's release label and our marker added, `{{` of the
 * object's own text escaped, then the placeholders turned into template actions.
 */
function template(object: PlanObject): string {
  const o = JSON.parse(JSON.stringify(object));
  o.metadata.labels = {
    ...o.metadata.labels,
    'app.kubernetes.io/instance': '__RELEASE__',
    [MARKER]: '__MARKER__',
  };
  if (o.kind === 'Deployment') o.spec.replicas = '__REPLICAS__';
  return stringify(o, { lineWidth: 0 })
    .replace(/\{\{/g, '{{`{{`}}')
    .replace(/__RELEASE__/g, '{{ .Release.Name }}')
    .replace(/__MARKER__/g, 'helm-{{ .Chart.Name }}-{{ .Chart.Version }}')
    .replace(/'?__REPLICAS__'?/g, '{{ .Values.replicaCount }}');
}

/**
 * Small charts named like Istio's, `base` and `istiod`, for a version: the built-in renderer's
 * objects for it (so the injector webhook and ConfigMap have the vendor's shape and kube-sim
 * injects through them) as templates, plus, while `legacy` is on, a ConfigMap the next
 * version drops (the upgrade must prune it) carrying a user value.
 */
async function istioCharts(version: string, legacy: boolean) {
  const objects = (await builtinObjects(version)).filter(
    o => o.kind !== 'Namespace',
  );
  const isBase = (o: PlanObject) =>
    o.kind === 'CustomResourceDefinition' ||
    ['istio-reader-service-account', 'istiod-default-validator'].includes(
      o.metadata.name,
    );
  const chart = (name: string, items: PlanObject[]) => {
    const files: Record<string, string> = {
      [`${name}/Chart.yaml`]: stringify({
        apiVersion: 'v2',
        name,
        version,
        appVersion: version,
      }),
      [`${name}/values.yaml`]: stringify({
        revision: '',
        replicaCount: 1,
        testValue: 'chart-default',
      }),
    };
    items.forEach((o, i) => {
      files[`${name}/templates/object-${i}.yaml`] = template(o);
    });
    return files;
  };
  const istiod = chart(
    'istiod',
    objects.filter(o => !isBase(o)),
  );
  if (legacy) {
    istiod['istiod/templates/legacy.yaml'] = [
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata:',
      '  name: istiod-legacy',
      '  namespace: {{ .Release.Namespace }}',
      '  labels:',
      '    app.kubernetes.io/instance: {{ .Release.Name }}',
      `    ${MARKER}: helm-{{ .Chart.Name }}-{{ .Chart.Version }}`,
      'data:',
      '  testValue: {{ .Values.testValue | quote }}',
      '',
    ].join('\n');
  }
  const base = chart('base', objects.filter(isBase));
  if (legacy) {
    // A ServiceAccount and a CRD the next version's base no longer ships: upgrades prune the
    // first (after the old revision is gone, on a canary) and keep the CRD.
    base['base/templates/legacy.yaml'] = stringify({
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: {
        name: 'istio-legacy-reader',
        namespace: '__NAMESPACE__',
        labels: {
          'app.kubernetes.io/instance': '__RELEASE__',
          [MARKER]: '__MARKER__',
        },
      },
    })
      .concat('---\n')
      .concat(
        stringify({
          apiVersion: 'apiextensions.k8s.io/v1',
          kind: 'CustomResourceDefinition',
          metadata: {
            name: 'legacies.networking.istio.io',
            labels: {
              'app.kubernetes.io/instance': '__RELEASE__',
              [MARKER]: '__MARKER__',
            },
          },
          spec: {
            group: 'networking.istio.io',
            scope: 'Namespaced',
            names: {
              plural: 'legacies',
              singular: 'legacy',
              kind: 'Legacy',
              listKind: 'LegacyList',
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
        }),
      )
      .replace(/__NAMESPACE__/g, '{{ .Release.Namespace }}')
      .replace(/__RELEASE__/g, '{{ .Release.Name }}')
      .replace(/__MARKER__/g, 'helm-{{ .Chart.Name }}-{{ .Chart.Version }}');
  }
  return [
    {
      name: 'base',
      version,
      archive: tarGz(base),
    },
    { name: 'istiod', version, archive: tarGz(istiod) },
  ];
}

const istioModule = createBackendModule({
  pluginId: 'mesh',
  moduleId: 'istio-charts-test',
  register(reg) {
    reg.registerInit({
      deps: { adapters: meshAdaptersExtensionPoint },
      async init({ adapters }) {
        adapters.addAdapter(new IstioAdapter());
      },
    });
  },
});

// Istio's planner with the vendor's charts: a local Helm repository on 127.0.0.1 serving charts
// named like Istio's, rendered by the real helm, installed and upgraded through the operations
// API on kube-sim; and `mesh.charts.source: builtin` keeping the built-in renderer.
describeWithHelm(
  'Istio from its charts through helm template (real helm)',
  () => {
    let sim: Awaited<ReturnType<typeof startKubeSim>>;
    let repo: Awaited<ReturnType<typeof startChartRepo>>;
    let backends: Awaited<ReturnType<typeof chartsBackends>>;

    const startBackend = async (source: 'helm' | 'builtin') =>
      (
        await backends.start({
          sim,
          modules: [istioModule],
          repositories: { istio: repo.url },
          source,
        })
      ).backend;

    beforeAll(async () => {
      sim = await startKubeSim();
      backends = await chartsBackends({ helmBinary });
      repo = await startChartRepo([
        ...(await istioCharts('1.29.6', true)),
        ...(await istioCharts('1.30.3', false)),
      ]);
    });

    afterAll(async () => {
      await backends?.stop();
      await repo?.close();
      await sim?.close();
    });

    const get = (apiPath: string) => simClient(sim).get(apiPath);
    const send = (method: string, apiPath: string, body: unknown) =>
      simClient(sim).send(method, apiPath, body);

    it('installs through helm, injects through the chart’s webhook, and prunes on upgrade', async () => {
      const backend = await startBackend('helm');
      const api = () => request(backend.server);

      const adapters = await api().get('/api/mesh/adapters');
      const istio = adapters.body.items.find((a: any) => a.id === 'istio');
      expect(istio.supportedVersions).toEqual(['1.29.6', '1.30.3']);

      const install = {
        action: 'install',
        mesh: 'istio',
        cluster: 'dev',
        version: '1.29.6',
        profile: 'minimal',
        values: { testValue: 'from-the-user' },
      };
      const dry = await api()
        .post('/api/mesh/operations')
        .send({ ...install, dryRun: true });
      expect(dry.status).toBe(200);
      const applied = dry.body.plan.steps.filter(
        (s: any) => s.type === 'apply',
      );
      // The Namespace is MeshStage's; every other object came from the charts.
      expect(
        applied
          .filter((s: any) => s.object.kind !== 'Namespace')
          .every((s: any) => s.object.metadata.labels?.[MARKER]),
      ).toBe(true);
      expect(
        applied.find((s: any) => s.object.metadata.name === 'istiod-legacy')
          .object.metadata.labels[MARKER],
      ).toBe('helm-istiod-1.29.6');

      const installed = await runOperation(backend.server, install);
      expect(installed.state).toBe('succeeded');
      const istiod = await get(
        '/apis/apps/v1/namespaces/istio-system/deployments/istiod',
      );
      expect(istiod.metadata.labels[MARKER]).toBe('helm-istiod-1.29.6');
      // Values MeshStage owns (the minimal profile's replicas) and the user's.
      expect(istiod.spec.replicas).toBe(1);
      const legacy = await get(
        '/api/v1/namespaces/istio-system/configmaps/istiod-legacy',
      );
      expect(legacy.data.testValue).toBe('from-the-user');
      const base = await get(
        '/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations/istiod-default-validator',
      );
      expect(base.metadata.labels[MARKER]).toBe('helm-base-1.29.6');

      // The chart's injector webhook and ConfigMap inject a namespace labelled for injection.
      await send('POST', '/api/v1/namespaces', {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: 'shop', labels: { 'istio-injection': 'enabled' } },
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
      const containers = [
        ...(pod.spec.initContainers ?? []),
        ...pod.spec.containers,
      ].map((c: any) => c.image);
      expect(containers).toContain('docker.io/istio/proxyv2:1.29.6');

      // 1.30.3's chart no longer renders istiod-legacy: the upgrade's dry run deletes it.
      const upgrade = {
        action: 'upgrade',
        mesh: 'istio',
        cluster: 'dev',
        toVersion: '1.30.3',
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
            kind: 'ConfigMap',
            name: 'istiod-legacy',
            namespace: 'istio-system',
          },
          description: expect.stringMatching(
            /left by release istiod; not in the new one/,
          ),
        }),
        expect.objectContaining({
          target: {
            apiVersion: 'v1',
            kind: 'ServiceAccount',
            name: 'istio-legacy-reader',
            namespace: 'istio-system',
          },
          description: expect.stringMatching(
            /left by release istio-base; not in the new one/,
          ),
        }),
      ]);
      expect(upgradeDry.body.plan.summary).toMatch(
        /keeps CRD legacies\.networking\.istio\.io that 1\.30\.3 no longer ships \(upgrades never delete CRDs/,
      );
      expect(upgradeDry.body.diff).toMatch(/^- .*istiod-legacy/m);
      const upgraded = await runOperation(backend.server, upgrade);
      expect(upgraded.state).toBe('succeeded');
      expect(
        (await get('/apis/apps/v1/namespaces/istio-system/deployments/istiod'))
          .metadata.labels[MARKER],
      ).toBe('helm-istiod-1.30.3');
      expect(
        await get('/api/v1/namespaces/istio-system/configmaps/istiod-legacy'),
      ).toBeUndefined();
      expect(
        await get(
          '/api/v1/namespaces/istio-system/serviceaccounts/istio-legacy-reader',
        ),
      ).toBeUndefined();
      expect(
        await get(
          '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/legacies.networking.istio.io',
        ),
      ).toBeDefined();
    });

    it('keeps the built-in renderer with mesh.charts.source: builtin', async () => {
      const backend = await startBackend('builtin');
      const dry = await request(backend.server)
        .post('/api/mesh/operations')
        .send({
          action: 'install',
          mesh: 'istio',
          cluster: 'dev',
          version: '1.29.6',
          revision: '1-29-6',
          profile: 'minimal',
          dryRun: true,
        });
      expect(dry.status).toBe(200);
      const objects = dry.body.plan.steps
        .filter((s: any) => s.type === 'apply')
        .map((s: any) => s.object);
      expect(objects.some((o: any) => o.kind === 'Deployment')).toBe(true);
      expect(objects.some((o: any) => o.metadata.labels?.[MARKER])).toBe(false);
      expect(
        objects.some((o: any) => o.metadata.name === 'istiod-legacy'),
      ).toBe(false);
    });
  },
);
