import { createBackendModule } from '@backstage/backend-plugin-api';
import { startKubeSim } from '@meshstage/kube-sim';
import { IstioAdapter } from '@meshstage/plugin-mesh-backend-module-istio';
import { LinkerdAdapter } from '@meshstage/plugin-mesh-backend-module-linkerd';
import { formatObjectRef } from '@meshstage/plugin-mesh-common';
import {
  HttpClusterView,
  kubeResourceOf,
  meshAdaptersExtensionPoint,
} from '@meshstage/plugin-mesh-node';
import request from 'supertest';
import { runOperation } from '../__testUtils__/runOperation';
import { startChartRepo } from './__testUtils__/chartRepo';
import {
  chartsBackends,
  helmForTests,
  simClient,
} from './__testUtils__/helmBackend';
import {
  VENDOR_MANIFESTS_MISSING,
  objectsOf,
  renderedChart,
  vendorManifestsDir,
  vendorText,
} from './__testUtils__/vendorCharts';

jest.setTimeout(300_000);

const { binary: helmBinary, describeWithHelm } = helmForTests(
  'the vendor-chart uninstall test',
);
const hasVendor = Boolean(vendorManifestsDir());
if (!hasVendor) {
  // eslint-disable-next-line no-console
  console.warn(
    `Skipping the vendor-chart uninstall test: ${VENDOR_MANIFESTS_MISSING}`,
  );
}
const describeWithVendor = hasVendor ? describeWithHelm : describe.skip;

// Versions only the charts know (the built-in renderers do not): the vendors' real renders of
// Istio 1.30.3 and Linkerd edge-26.8.3, served under new version numbers from a local Helm
// repository as charts whose templates are those renders, rendered back by the real helm.
const ISTIO = '1.30.9';
const ISTIO_AS: Array<[string, string]> = [
  ['1.30.3', ISTIO],
  ['1-30-3', '1-30-9'],
];
const LINKERD = 'edge-26.9.1';
const LINKERD_AS: Array<[string, string]> = [
  ['edge-26.8.3', LINKERD],
  ['2026.8.3', '2026.9.1'],
];

/** Objects of an older `base` that the next release dropped. */
const LEGACY_BASE = `apiVersion: v1
kind: ServiceAccount
metadata:
  name: istio-legacy-reader
  namespace: istio-system
  labels:
    app.kubernetes.io/instance: istio-base
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: legacies.networking.istio.io
  labels:
    app.kubernetes.io/instance: istio-base
spec:
  group: networking.istio.io
  scope: Namespaced
  names: { plural: legacies, singular: legacy, kind: Legacy, listKind: LegacyList }
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema: { type: object, x-kubernetes-preserve-unknown-fields: true }
`;

const modules = [
  createBackendModule({
    pluginId: 'mesh',
    moduleId: 'vendor-charts-test',
    register(reg) {
      reg.registerInit({
        deps: { adapters: meshAdaptersExtensionPoint },
        async init({ adapters }) {
          adapters.addAdapter(new IstioAdapter());
          adapters.addAdapter(new LinkerdAdapter());
        },
      });
    },
  }),
];

const refOf = (o: any) =>
  formatObjectRef({
    apiVersion: o.apiVersion,
    kind: o.kind,
    name: o.metadata.name,
    namespace: o.metadata.namespace,
  });

// Uninstall deletes what is installed (and a canary prunes the old base), for versions the built-in renderer does not know: the
// charts' rendering while the repository lists the version, and after it stops listing it the
// objects the operations recorded and the live objects carrying the releases' labels.
describeWithVendor(
  'the vendors’ Istio and Linkerd renders as charts: uninstall of chart-only versions, Istio canary (real helm, kube-sim)',
  () => {
    let sim: Awaited<ReturnType<typeof startKubeSim>>;
    let repo: Awaited<ReturnType<typeof startChartRepo>>;
    let backends: Awaited<ReturnType<typeof chartsBackends>>;
    let server: Awaited<ReturnType<typeof backends.start>>['server'];
    let refresh: () => Promise<void>;
    let cluster: HttpClusterView;

    const istioBase = () => vendorText('istio/1.30.3/base.yaml', ISTIO_AS);
    const istiod = () =>
      vendorText('istio/1.30.3/istiod-1-30-3.yaml', ISTIO_AS);
    const istioTag = () =>
      vendorText('istio/1.30.3/revision-tag-default.yaml', ISTIO_AS);
    const linkerdCrds = () =>
      vendorText('linkerd/edge-26.8.3/crds.yaml', LINKERD_AS);
    const linkerdCp = () =>
      vendorText('linkerd/edge-26.8.3/control-plane.yaml', LINKERD_AS);

    beforeAll(async () => {
      sim = await startKubeSim();
      cluster = new HttpClusterView({
        url: sim.url,
        token: sim.token,
        name: 'dev',
      });
      repo = await startChartRepo([
        renderedChart({
          name: 'base',
          version: ISTIO,
          appVersion: ISTIO,
          templates: [{ text: istioBase() }],
        }),
        renderedChart({
          name: 'istiod',
          version: ISTIO,
          appVersion: ISTIO,
          templates: [
            { text: istiod() },
            { text: istioTag(), condition: '.Values.revisionTags' },
          ],
        }),
        // Istio 1.29.6 and 1.30.3 as released, for the canary; 1.29.6's base also holds a
        // ServiceAccount and a CRD that 1.30.3's does not (as when a release drops an object).
        ...['1.29.6', '1.30.3'].flatMap(v => [
          renderedChart({
            name: 'base',
            version: v,
            appVersion: v,
            templates: [
              { text: vendorText(`istio/${v}/base.yaml`) },
              ...(v === '1.29.6' ? [{ text: LEGACY_BASE }] : []),
            ],
          }),
          renderedChart({
            name: 'istiod',
            version: v,
            appVersion: v,
            templates: [
              {
                text: vendorText(
                  `istio/${v}/istiod-${v.replace(/\./g, '-')}.yaml`,
                ),
              },
              {
                text: vendorText(`istio/${v}/revision-tag-default.yaml`),
                condition: '.Values.revisionTags',
              },
            ],
          }),
        ]),
        renderedChart({
          name: 'linkerd-crds',
          version: '2026.9.1',
          templates: [{ text: linkerdCrds() }],
        }),
        renderedChart({
          name: 'linkerd-control-plane',
          version: '2026.9.1',
          appVersion: LINKERD,
          templates: [{ text: linkerdCp() }],
        }),
      ]);
      backends = await chartsBackends({ helmBinary });
      ({ server, refresh } = await backends.start({
        sim,
        modules,
        repositories: { istio: repo.url, linkerd: repo.url },
      }));
    });

    afterAll(async () => {
      await backends?.stop();
      await repo?.close();
      await sim?.close();
    });

    const api = () => request(server);
    const deletes = async (mesh: string) => {
      const dry = await api()
        .post('/api/mesh/operations')
        .send({ action: 'uninstall', mesh, cluster: 'dev', dryRun: true });
      expect(dry.status).toBe(200);
      const steps = dry.body.plan.steps;
      expect(steps.every((s: any) => s.type === 'delete')).toBe(true);
      return steps.map((s: any) => formatObjectRef(s.target)) as string[];
    };
    /** The objects of `objects` still on the cluster. */
    const remaining = async (objects: any[]) => {
      const left: string[] = [];
      for (const o of objects) {
        const live = await cluster
          .list(kubeResourceOf(o.apiVersion, o.kind), {
            namespace: o.metadata.namespace,
          })
          .catch(() => []);
        if (live.some(l => l.metadata.name === o.metadata.name))
          left.push(refOf(o));
      }
      return left;
    };
    /** Every vendor object is deleted, CRDs after the rest, the namespace last. */
    const expectDeletesAll = (
      planned: string[],
      objects: any[],
      ns: string,
    ) => {
      expect(planned).toEqual(expect.arrayContaining(objects.map(refOf)));
      expect(planned[planned.length - 1]).toBe(`Namespace/${ns}`);
      const firstCrd = planned.findIndex(r =>
        r.startsWith('CustomResourceDefinition/'),
      );
      expect(firstCrd).toBeGreaterThan(0);
      expect(
        planned
          .slice(firstCrd, -1)
          .every(r => r.startsWith('CustomResourceDefinition/')),
      ).toBe(true);
    };
    const supported = async (mesh: string) =>
      (await api().get('/api/mesh/adapters')).body.items.find(
        (a: any) => a.id === mesh,
      ).supportedVersions as string[];

    it(`Istio ${ISTIO} (the vendor's 1.30.3 render, revision and default tag)`, async () => {
      expect(await supported('istio')).toContain(ISTIO);
      const installed = await runOperation(server, {
        action: 'install',
        mesh: 'istio',
        cluster: 'dev',
        version: ISTIO,
        revision: '1-30-9',
        revisionTags: ['default'],
      });
      expect(installed.state).toBe('succeeded');
      const status = await api().get('/api/mesh/status?mesh=istio');
      expect(status.body.items[0]).toMatchObject({
        installed: true,
        versions: [ISTIO],
      });
      const objects = [istioBase(), istiod(), istioTag()].flatMap(objectsOf);
      expect(objects.length).toBe(17 + 17 + 2);
      expect(await remaining(objects)).toEqual(objects.map(refOf));

      // While the repository lists the version: its charts' rendering.
      expectDeletesAll(await deletes('istio'), objects, 'istio-system');

      // The repository stops listing it: what the operations recorded and the release labels.
      repo.remove('base', ISTIO);
      repo.remove('istiod', ISTIO);
      await refresh();
      expect(await supported('istio')).not.toContain(ISTIO);
      expectDeletesAll(await deletes('istio'), objects, 'istio-system');

      const uninstalled = await runOperation(server, {
        action: 'uninstall',
        mesh: 'istio',
        cluster: 'dev',
      });
      expect(uninstalled.state).toBe('succeeded');
      expect(await remaining(objects)).toEqual([]);
      expect(
        await remaining([
          {
            apiVersion: 'v1',
            kind: 'Namespace',
            metadata: { name: 'istio-system' },
          },
        ]),
      ).toEqual([]);
      const after = await api().get('/api/mesh/status?mesh=istio');
      expect(after.body.items[0]).toMatchObject({ installed: false });
    });

    it(`Linkerd ${LINKERD} (the vendor's edge-26.8.3 render) with MeshStage's identity`, async () => {
      expect(await supported('linkerd')).toEqual([LINKERD]);
      const installed = await runOperation(server, {
        action: 'install',
        mesh: 'linkerd',
        cluster: 'dev',
        version: LINKERD,
      });
      expect(installed.state).toBe('succeeded');
      const status = await api().get('/api/mesh/status?mesh=linkerd');
      expect(status.body.items[0]).toMatchObject({
        installed: true,
        versions: [LINKERD],
      });
      const identity = ['linkerd-trust-anchor', 'linkerd-identity-issuer'].map(
        name => ({
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { name, namespace: 'linkerd' },
        }),
      );
      const objects = [
        ...[linkerdCrds(), linkerdCp()].flatMap(objectsOf),
        ...identity,
        {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: {
            name: 'linkerd-identity-trust-roots',
            namespace: 'linkerd',
          },
        },
      ];
      expect(await remaining(objects)).toEqual(objects.map(refOf));
      expectDeletesAll(await deletes('linkerd'), objects, 'linkerd');

      repo.remove('linkerd-crds', '2026.9.1');
      repo.remove('linkerd-control-plane', '2026.9.1');
      await refresh();
      expect(await supported('linkerd')).toEqual([]);
      expectDeletesAll(await deletes('linkerd'), objects, 'linkerd');

      const uninstalled = await runOperation(server, {
        action: 'uninstall',
        mesh: 'linkerd',
        cluster: 'dev',
      });
      expect(uninstalled.state).toBe('succeeded');
      expect(await remaining(objects)).toEqual([]);
      const after = await api().get('/api/mesh/status?mesh=linkerd');
      expect(after.body.items[0]).toMatchObject({ installed: false });
    });

    it('canary-upgrades Istio 1.29.6 → 1.30.3 (the vendor renders) through the default tag, pruning the old base last', async () => {
      const client = simClient(sim);
      const installed = await runOperation(server, {
        action: 'install',
        mesh: 'istio',
        cluster: 'dev',
        version: '1.29.6',
        revision: '1-29-6',
        revisionTags: ['default'],
      });
      expect(installed.state).toBe('succeeded');
      const legacySa =
        '/api/v1/namespaces/istio-system/serviceaccounts/istio-legacy-reader';
      const legacyCrd =
        '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/legacies.networking.istio.io';
      expect(await client.get(legacySa)).toBeDefined();

      const upgrade = {
        action: 'upgrade',
        mesh: 'istio',
        cluster: 'dev',
        toVersion: '1.30.3',
        strategy: 'canary',
      };
      const dry = await api()
        .post('/api/mesh/operations')
        .send({ ...upgrade, dryRun: true });
      expect(dry.status).toBe(200);
      const steps: string[] = dry.body.plan.steps.map((s: any) =>
        s.type === 'apply'
          ? `apply ${s.object.kind}/${s.object.metadata.name}`
          : `${s.type} ${s.target.kind}/${s.target.name}`,
      );
      // The new revision and the tag come first, the old revision goes, then the old base's
      // ServiceAccount; its CRD stays, as the summary says.
      expect(steps).toContain('apply Deployment/istiod-1-30-3');
      expect(steps).toContain(
        'apply MutatingWebhookConfiguration/istio-revision-tag-default',
      );
      const oldIstiod = steps.indexOf('delete Deployment/istiod-1-29-6');
      expect(oldIstiod).toBeGreaterThan(0);
      expect(steps[steps.length - 1]).toBe(
        'delete ServiceAccount/istio-legacy-reader',
      );
      expect(steps.filter(l => l.includes('legacies'))).toEqual([]);
      expect(dry.body.plan.summary).toMatch(
        /^Canary-upgrade Istio 1\.29\.6 → 1\.30\.3 \(revision 1-30-3, tags default\) on dev; keeps CRD legacies\.networking\.istio\.io that 1\.30\.3 no longer ships \(upgrades never delete CRDs/,
      );
      const last = dry.body.plan.steps[dry.body.plan.steps.length - 1];
      expect(last.description).toMatch(
        /left by release istio-base; not in the new one/,
      );

      const upgraded = await runOperation(server, upgrade);
      expect(upgraded.state).toBe('succeeded');
      const status = await api().get('/api/mesh/status?mesh=istio');
      expect(status.body.items[0]).toMatchObject({
        installed: true,
        versions: ['1.30.3'],
      });
      expect(
        await client.get(
          '/apis/apps/v1/namespaces/istio-system/deployments/istiod-1-29-6',
        ),
      ).toBeUndefined();
      expect(await client.get(legacySa)).toBeUndefined();
      expect(await client.get(legacyCrd)).toBeDefined();
      // The new base's objects, the 1.30 CRD among them, are in place.
      expect(
        await client.get(
          '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/trafficextensions.extensions.istio.io',
        ),
      ).toBeDefined();
    });
  },
);
