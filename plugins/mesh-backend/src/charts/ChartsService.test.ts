import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import type {
  MeshAdapter,
  MeshChartsDeclaration,
  PlanContext,
} from '@meshstage/plugin-mesh-node';
import { InMemoryClusterView } from '@meshstage/plugin-mesh-node';
import { readTarGzFiles } from './archives';
import { ChartIndexCache } from './ChartIndexCache';
import { readChartsConfig } from './config';
import { ChartsService, matchesLabelSelector } from './ChartsService';
import type { HelmTemplateRequest } from './helm';
import { parseRenderedManifests } from './manifests';
import { archiveUrl, effectiveRepository } from './repositories';
import { mergeValues } from './values';
import {
  demoChartFiles,
  startChartRepo,
  tarGz,
} from './__testUtils__/chartRepo';

const archive = (name: string, version: string, appVersion = version) =>
  tarGz(demoChartFiles(name, version, appVersion));

function testAdapter(
  charts: MeshChartsDeclaration,
  builtin: string[] = ['0.9.0'],
): MeshAdapter {
  return {
    id: 'demo',
    displayName: 'Demo',
    charts,
    injection: {
      namespaceEnabled: () => ({ enabled: false }),
      proxyContainerNames: [],
    },
    supportedVersions: () => builtin,
    detect: async () => ({
      installed: false,
      versions: [],
      revisions: [],
      components: [],
      namespaces: [],
    }),
    plan: async (request, ctx) => ({
      request,
      summary: ctx.vendorManifests?.source ?? 'none',
      steps: [],
    }),
  } as MeshAdapter;
}

/** A templater that records requests and answers with the values it got, as a ConfigMap. */
function recordingHelm() {
  const calls: HelmTemplateRequest[] = [];
  return {
    calls,
    async template(request: HelmTemplateRequest) {
      calls.push(request);
      return [
        '---',
        '# Source: demo/templates/cm.yaml',
        'apiVersion: v1',
        'kind: ConfigMap',
        'metadata:',
        `  name: ${request.release}`,
        '  labels:',
        `    app.kubernetes.io/instance: ${request.release}`,
        'data:',
        `  values: '${JSON.stringify(request.values)}'`,
        '---',
        '',
      ].join('\n');
    },
  };
}

describe('ChartsService', () => {
  let tmp: string;
  beforeEach(async () => {
    tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'meshstage-charts-'));
  });
  afterEach(() => fs.rm(tmp, { recursive: true, force: true }));

  const chartsConfig = (charts: Record<string, unknown>) =>
    readChartsConfig(
      new ConfigReader({ mesh: { charts: { cacheDir: 'cache', ...charts } } }),
      tmp,
    );

  it('lists the index’s versions in the declared range, oldest first, and reads the network once', async () => {
    const repo = await startChartRepo([
      {
        name: 'demo-base',
        version: '1.29.6',
        archive: archive('demo-base', '1.29.6'),
      },
      { name: 'demo', version: '1.29.6', archive: archive('demo', '1.29.6') },
      {
        name: 'demo-base',
        version: '1.30.3',
        archive: archive('demo-base', '1.30.3'),
      },
      { name: 'demo', version: '1.30.3', archive: archive('demo', '1.30.3') },
      { name: 'demo', version: '1.30.10', archive: archive('demo', '1.30.10') },
      {
        name: 'demo-base',
        version: '1.30.10',
        archive: archive('demo-base', '1.30.10'),
      },
      // Out of range, a pre-release, deprecated, and one whose companion chart is missing.
      { name: 'demo', version: '1.21.0', archive: archive('demo', '1.21.0') },
      {
        name: 'demo-base',
        version: '1.21.0',
        archive: archive('demo-base', '1.21.0'),
      },
      {
        name: 'demo',
        version: '1.31.0-beta.1',
        archive: archive('demo', '1.31.0-beta.1'),
      },
      {
        name: 'demo-base',
        version: '1.31.0-beta.1',
        archive: archive('demo-base', '1.31.0-beta.1'),
      },
      {
        name: 'demo',
        version: '1.28.0',
        deprecated: true,
        archive: archive('demo', '1.28.0'),
      },
      {
        name: 'demo-base',
        version: '1.28.0',
        archive: archive('demo-base', '1.28.0'),
      },
      { name: 'demo', version: '1.27.0', archive: archive('demo', '1.27.0') },
    ]);
    try {
      const adapter = testAdapter({
        sources: [
          {
            id: 'release',
            repository: 'https://vendor.invalid/charts',
            charts: [{ name: 'demo-base' }, { name: 'demo' }],
            versions: '>=1.22.0',
          },
        ],
      });
      const service = new ChartsService({
        config: chartsConfig({
          repositories: { demo: repo.url },
          builtinFallback: false,
        }),
        logger: mockServices.logger.mock(),
      });
      await service.register([adapter]);
      // Nothing read yet: no disk copy, no network until the refresh.
      expect(service.versions(adapter)).toEqual([]);
      expect(repo.count('/index.yaml')).toBe(0);

      await service.refresh();
      expect(service.versions(adapter).map(v => v.version)).toEqual([
        '1.29.6',
        '1.30.3',
        '1.30.10',
      ]);
      expect(service.versions(adapter)[0]).toEqual({
        version: '1.29.6',
        source: 'helm',
        chartSource: 'release',
        repository: repo.url,
        charts: [
          { name: 'demo-base', version: '1.29.6' },
          { name: 'demo', version: '1.29.6' },
        ],
      });
      expect(repo.count('/index.yaml')).toBe(1);

      // The decorated adapter offers them and hands its planner the vendor manifests.
      const decorated = service.decorate(adapter);
      expect(decorated.supportedVersions()).toEqual([
        '1.29.6',
        '1.30.3',
        '1.30.10',
      ]);
      expect(decorated.id).toBe('demo');
      const plan = await decorated.plan!(
        { action: 'install', mesh: 'demo', cluster: 'dev', version: '1.30.3' },
        {
          cluster: new InMemoryClusterView('dev', []),
          detection: await adapter.detect(null as any),
        } as PlanContext,
      );
      expect(plan.summary).toBe('helm');

      // A second backend on the same cache directory starts from the disk copy, offline.
      const again = new ChartsService({
        config: chartsConfig({
          repositories: { demo: repo.url },
          builtinFallback: false,
        }),
        logger: mockServices.logger.mock(),
      });
      await again.register([adapter]);
      expect(again.versions(adapter).map(v => v.version)).toEqual([
        '1.29.6',
        '1.30.3',
        '1.30.10',
      ]);
      expect(repo.count('/index.yaml')).toBe(1);

      // A refresh picks up a version published since, without a MeshStage release.
      repo.add({
        name: 'demo',
        version: '1.31.0',
        archive: archive('demo', '1.31.0'),
      });
      repo.add({
        name: 'demo-base',
        version: '1.31.0',
        archive: archive('demo-base', '1.31.0'),
      });
      await again.refresh();
      expect(again.versions(adapter).map(v => v.version)).toContain('1.31.0');
      expect(repo.count('/index.yaml')).toBe(2);
      // Unchanged index: a conditional request answered 304 keeps the copy.
      await again.refresh();
      expect(repo.notModified()).toBe(1);
      expect(again.versions(adapter).map(v => v.version)).toContain('1.31.0');
    } finally {
      await repo.close();
    }
  });

  it('keeps the last index and reports the error when the repository fails; builtin fallback is explicit', async () => {
    const repo = await startChartRepo([
      { name: 'demo', version: '1.30.3', archive: archive('demo', '1.30.3') },
    ]);
    const adapter = testAdapter(
      {
        sources: [
          {
            id: 'release',
            repository: 'https://vendor.invalid',
            charts: [{ name: 'demo' }],
            versions: '*',
          },
        ],
      },
      ['1.24.2', '1.30.3'],
    );
    const logger = mockServices.logger.mock();
    const service = new ChartsService({
      config: chartsConfig({ repositories: { demo: { release: repo.url } } }),
      logger,
    });
    await service.register([adapter]);
    await service.refresh();
    await repo.close();
    await service.refresh();
    expect(service.versions(adapter)).toEqual([
      { version: '1.24.2', source: 'builtin' },
      expect.objectContaining({ version: '1.30.3', source: 'helm' }),
    ]);
    const info = service.info(adapter);
    expect(info.source).toBe('helm');
    expect(info.chartSources).toEqual([
      expect.objectContaining({
        id: 'release',
        repository: repo.url,
        via: 'config',
        error: expect.stringMatching(
          /^Could not read the chart index http:\/\/127\.0\.0\.1:\d+\/index\.yaml/,
        ),
      }),
    ]);
    expect(logger.warn).toHaveBeenCalled();
  });

  it('in builtin mode offers the adapter’s own versions and refuses to render', async () => {
    const adapter = testAdapter(
      {
        sources: [
          {
            id: 'r',
            repository: 'https://vendor.invalid',
            charts: [{ name: 'demo' }],
            versions: '*',
          },
        ],
      },
      ['1.24.2'],
    );
    const service = new ChartsService({
      config: chartsConfig({ source: 'builtin' }),
      logger: mockServices.logger.mock(),
      fetch: () => {
        throw new Error('no network in builtin mode');
      },
    });
    await service.register([adapter]);
    await service.refresh();
    expect(service.info(adapter)).toEqual({
      source: 'builtin',
      versions: [{ version: '1.24.2', source: 'builtin' }],
    });
    const vm = service.vendorManifests(adapter, {
      cluster: new InMemoryClusterView('dev', []),
      clusterName: 'dev',
    });
    expect(vm.rendersVersion('1.24.2')).toBe(false);
    await expect(
      vm.render({
        version: '1.24.2',
        chart: 'demo',
        release: 'r',
        namespace: 'n',
      }),
    ).rejects.toThrow(/mesh.charts.source is 'builtin'/);
  });

  it('uses local archives before any network, and caches downloads', async () => {
    const localDir = path.join(tmp, 'local');
    await fs.mkdir(localDir);
    await fs.writeFile(
      path.join(localDir, 'demo-control-plane-2026.8.3.tgz'),
      archive('demo-control-plane', '2026.8.3', 'edge-26.8.3'),
    );
    const repo = await startChartRepo([
      {
        name: 'demo-control-plane',
        version: '2026.8.4',
        appVersion: 'edge-26.8.4',
        archive: archive('demo-control-plane', '2026.8.4', 'edge-26.8.4'),
      },
      {
        name: 'demo-control-plane',
        version: '1.16.11',
        appVersion: 'stable-2.14.10',
        archive: archive('demo-control-plane', '1.16.11', 'stable-2.14.10'),
      },
    ]);
    try {
      const adapter = testAdapter({
        channelOrder: ['stable', 'edge'],
        sources: [
          {
            id: 'edge',
            repository: 'https://vendor.invalid/edge',
            channel: 'edge',
            versions: '>=24.0.0',
            meshVersionFrom: 'appVersion',
            charts: [{ name: 'demo-control-plane' }],
          },
        ],
      });
      const helm = recordingHelm();
      const service = new ChartsService({
        config: chartsConfig({
          localDir: 'local',
          repositories: { demo: repo.url },
          builtinFallback: false,
        }),
        logger: mockServices.logger.mock(),
        helm,
      });
      await service.register([adapter]);
      // Offline, the local archive's version is installable (its appVersion is the mesh version).
      expect(service.versions(adapter).map(v => [v.version, v.charts])).toEqual(
        [
          [
            'edge-26.8.3',
            [{ name: 'demo-control-plane', version: '2026.8.3' }],
          ],
        ],
      );
      await service.refresh();
      // The stable entry of the same index is another channel: not this source's.
      expect(service.versions(adapter).map(v => v.version)).toEqual([
        'edge-26.8.3',
        'edge-26.8.4',
      ]);
      const vm = service.vendorManifests(adapter, {
        cluster: new InMemoryClusterView('dev', []),
        clusterName: 'dev',
      });
      await vm.render({
        version: 'edge-26.8.3',
        chart: 'demo-control-plane',
        release: 'l',
        namespace: 'linkerd',
      });
      expect(helm.calls[0].chart).toEqual({
        ref: path.join(localDir, 'demo-control-plane-2026.8.3.tgz'),
        from: 'localDir',
      });
      expect(repo.requests.filter(p => p.endsWith('.tgz'))).toEqual([]);

      await vm.render({
        version: 'edge-26.8.4',
        chart: 'demo-control-plane',
        release: 'l',
        namespace: 'linkerd',
      });
      await vm.render({
        version: 'edge-26.8.4',
        chart: 'demo-control-plane',
        release: 'l',
        namespace: 'linkerd',
      });
      expect(helm.calls.slice(1).map(c => c.chart.from)).toEqual([
        'download',
        'cache',
      ]);
      expect(repo.count('/charts/demo-control-plane-2026.8.4.tgz')).toBe(1);
      const cached = await fs.readFile(helm.calls[2].chart.ref);
      expect([
        ...readTarGzFiles(cached, n => n.endsWith('Chart.yaml')).keys(),
      ]).toEqual(['demo-control-plane/Chart.yaml']);
      await expect(
        vm.render({
          version: 'edge-27.1.1',
          chart: 'demo-control-plane',
          release: 'l',
          namespace: 'linkerd',
        }),
      ).rejects.toThrow(
        /Demo edge-27.1.1 is not in its chart repositories \(http:\/\/127/,
      );
      await expect(
        vm.render({
          version: 'edge-26.8.4',
          chart: 'other',
          release: 'l',
          namespace: 'linkerd',
        }),
      ).rejects.toThrow(/no chart 'other'/);
    } finally {
      await repo.close();
    }
  });

  it('pairs Linkerd-style charts: control-plane appVersion, CRDs by chart version (edge) or pin (stable)', async () => {
    const edge = await startChartRepo([
      {
        name: 'lk-crds',
        version: '2026.8.3',
        archive: archive('lk-crds', '2026.8.3', ''),
      },
      {
        name: 'lk-control-plane',
        version: '2026.8.3',
        appVersion: 'edge-26.8.3',
        archive: archive('lk-control-plane', '2026.8.3', 'edge-26.8.3'),
      },
      {
        name: 'lk-control-plane',
        version: '2026.10.1',
        appVersion: 'edge-26.10.1',
        archive: archive('lk-control-plane', '2026.10.1', 'edge-26.10.1'),
      },
      {
        name: 'lk-crds',
        version: '2026.10.1',
        archive: archive('lk-crds', '2026.10.1', ''),
      },
      // No CRDs chart of its version: not installable.
      {
        name: 'lk-control-plane',
        version: '2026.9.1',
        appVersion: 'edge-26.9.1',
        archive: archive('lk-control-plane', '2026.9.1', 'edge-26.9.1'),
      },
    ]);
    const stable = await startChartRepo([
      {
        name: 'lk-crds',
        version: '1.8.0',
        archive: archive('lk-crds', '1.8.0', ''),
      },
      {
        name: 'lk-control-plane',
        version: '1.16.11',
        appVersion: 'stable-2.14.10',
        archive: archive('lk-control-plane', '1.16.11', 'stable-2.14.10'),
      },
      {
        name: 'lk-control-plane',
        version: '1.16.10',
        appVersion: 'stable-2.14.9',
        archive: archive('lk-control-plane', '1.16.10', 'stable-2.14.9'),
      },
    ]);
    try {
      const adapter = testAdapter({
        channelOrder: ['stable', 'edge'],
        sources: [
          {
            id: 'stable',
            repository: 'https://vendor.invalid/stable',
            channel: 'stable',
            versions: '>=2.14.0',
            meshVersionFrom: 'appVersion',
            versionChart: 'lk-control-plane',
            charts: [{ name: 'lk-crds' }, { name: 'lk-control-plane' }],
            pins: { 'stable-2.14.10': { 'lk-crds': '1.8.0' } },
          },
          {
            id: 'edge',
            repository: 'https://vendor.invalid/edge',
            channel: 'edge',
            versions: '>=24.11.0',
            meshVersionFrom: 'appVersion',
            versionChart: 'lk-control-plane',
            charts: [
              { name: 'lk-crds', match: 'chartVersion' },
              { name: 'lk-control-plane' },
            ],
          },
        ],
      });
      const service = new ChartsService({
        config: chartsConfig({
          repositories: { demo: { stable: stable.url, edge: edge.url } },
          builtinFallback: false,
        }),
        logger: mockServices.logger.mock(),
      });
      await service.register([adapter]);
      await service.refresh();
      expect(
        service
          .versions(adapter)
          .map(v => [v.version, v.chartSource, v.charts]),
      ).toEqual([
        [
          'stable-2.14.10',
          'stable',
          [
            { name: 'lk-crds', version: '1.8.0' },
            { name: 'lk-control-plane', version: '1.16.11' },
          ],
        ],
        [
          'edge-26.8.3',
          'edge',
          [
            { name: 'lk-crds', version: '2026.8.3' },
            { name: 'lk-control-plane', version: '2026.8.3' },
          ],
        ],
        [
          'edge-26.10.1',
          'edge',
          [
            { name: 'lk-crds', version: '2026.10.1' },
            { name: 'lk-control-plane', version: '2026.10.1' },
          ],
        ],
      ]);
    } finally {
      await edge.close();
      await stable.close();
    }
  });

  it('merges the adapter’s values layers with Helm’s rules before rendering', async () => {
    expect(
      mergeValues(
        {
          global: { hub: 'docker.io/istio', tag: '1.29.6', list: [1, 2] },
          pilot: { replicas: 1 },
        },
        {
          global: { hub: 'registry.istio.io/release', list: [3] },
          pilot: { resources: null },
        },
        undefined,
        { global: { tag: '1.30.3' }, revision: '1-30-3' },
      ),
    ).toEqual({
      global: { hub: 'registry.istio.io/release', tag: '1.30.3', list: [3] },
      pilot: { replicas: 1, resources: null },
      revision: '1-30-3',
    });
    const input = { a: { b: 1 } };
    mergeValues(input, { a: { c: 2 } });
    expect(input).toEqual({ a: { b: 1 } });
  });
});

describe('repositories', () => {
  const source = {
    id: 'edge',
    repository: 'https://helm.linkerd.io/edge/',
    charts: [],
    versions: '*',
  };
  it('takes config per source, per mesh, the mirror, then the vendor', () => {
    expect(
      effectiveRepository('linkerd', source, { repositories: {} }),
    ).toEqual({
      url: 'https://helm.linkerd.io/edge',
      kind: 'http',
      via: 'vendor',
      vendor: 'https://helm.linkerd.io/edge',
    });
    expect(
      effectiveRepository('linkerd', source, {
        repositories: {},
        mirror: 'https://charts.corp/m',
      }).url,
    ).toBe('https://charts.corp/m/linkerd/edge');
    expect(
      effectiveRepository('linkerd', source, {
        repositories: { linkerd: 'oci://registry.corp/linkerd' },
        mirror: 'https://charts.corp/m',
      }),
    ).toMatchObject({
      url: 'oci://registry.corp/linkerd',
      kind: 'oci',
      via: 'config',
    });
    expect(
      effectiveRepository('linkerd', source, {
        repositories: { linkerd: { stable: 'https://x/stable' } },
      }).via,
    ).toBe('vendor');
  });
  it('resolves archive URLs, moving the vendor’s onto the mirror', () => {
    const mirrored = effectiveRepository(
      'istio',
      {
        ...source,
        id: 'release',
        repository: 'https://istio-release.storage.googleapis.com/charts',
      },
      {
        repositories: {},
        mirror: 'https://charts.corp/m',
      },
    );
    expect(archiveUrl('istiod-1.30.3.tgz', mirrored)).toBe(
      'https://charts.corp/m/istio/release/istiod-1.30.3.tgz',
    );
    expect(
      archiveUrl(
        'https://istio-release.storage.googleapis.com/charts/istiod-1.30.3.tgz',
        mirrored,
      ),
    ).toBe('https://charts.corp/m/istio/release/istiod-1.30.3.tgz');
    expect(archiveUrl('https://elsewhere/istiod.tgz', mirrored)).toBe(
      'https://elsewhere/istiod.tgz',
    );
  });
});

describe('ChartIndexCache', () => {
  it('serves a second read from memory, and a new instance from disk', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'meshstage-index-'));
    let calls = 0;
    const fetchFn = (async () => {
      calls++;
      return new Response(
        'apiVersion: v1\nentries:\n  demo:\n    - version: 1.0.0\n      urls: [demo-1.0.0.tgz]\n',
      );
    }) as unknown as typeof fetch;
    try {
      const cache = new ChartIndexCache({
        cacheDir: dir,
        fetchTimeoutMs: 1000,
        fetch: fetchFn,
      });
      const first = await cache.get('https://repo.invalid/charts/');
      const second = await cache.get('https://repo.invalid/charts');
      expect(second).toBe(first);
      expect(calls).toBe(1);
      const other = new ChartIndexCache({
        cacheDir: dir,
        fetchTimeoutMs: 1000,
        fetch: fetchFn,
      });
      expect(
        (await other.get('https://repo.invalid/charts')).entries.demo[0]
          .version,
      ).toBe('1.0.0');
      expect(calls).toBe(1);
      await other.refresh('https://repo.invalid/charts');
      expect(calls).toBe(2);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});

describe('parseRenderedManifests', () => {
  it('skips empty documents and test hooks, flattens Lists and sets the release namespace on namespaced objects', () => {
    const objects = parseRenderedManifests(
      [
        '---',
        '# Source: x/templates/empty.yaml',
        '---',
        'apiVersion: v1',
        'kind: ServiceAccount',
        'metadata: { name: sa }',
        '---',
        'apiVersion: rbac.authorization.k8s.io/v1',
        'kind: ClusterRole',
        'metadata: { name: cr }',
        '---',
        'apiVersion: v1',
        'kind: Pod',
        'metadata: { name: t, annotations: { helm.sh/hook: test } }',
        '---',
        'apiVersion: v1',
        'kind: List',
        'items:',
        '  - { apiVersion: v1, kind: ConfigMap, metadata: { name: a, namespace: other } }',
      ].join('\n'),
      'istio-system',
    );
    expect(
      objects.map(o => [o.kind, o.metadata.name, o.metadata.namespace]),
    ).toEqual([
      ['ServiceAccount', 'sa', 'istio-system'],
      ['ClusterRole', 'cr', undefined],
      ['ConfigMap', 'a', 'other'],
    ]);
    expect(() => parseRenderedManifests('just: a map\n', 'x')).toThrow(
      /not a Kubernetes object/,
    );
  });
});

describe('ChartsService.pruneSteps', () => {
  it('prunes by a label selector for charts without release labels (Linkerd’s)', async () => {
    const obj = (kind: string, name: string, labels: Record<string, string>) =>
      ({
        apiVersion: kind === 'Deployment' ? 'apps/v1' : 'v1',
        kind,
        metadata: { name, namespace: 'linkerd', labels },
      } as any);
    const cp = { 'linkerd.io/control-plane-ns': 'linkerd' };
    const cluster = new InMemoryClusterView('dev', [
      obj('Deployment', 'linkerd-destination', cp),
      obj('Deployment', 'linkerd-old-controller', cp),
      obj('Service', 'linkerd-old-api', cp),
      obj('Service', 'someone-elses', { app: 'x' }),
    ]);
    const service = new ChartsService({
      config: readChartsConfig(
        new ConfigReader({ mesh: { charts: { cacheDir: 'cache' } } }),
        os.tmpdir(),
      ),
      logger: mockServices.logger.mock(),
    });
    const steps = await service.pruneSteps(
      { cluster, clusterName: 'dev', mesh: 'linkerd' },
      {
        next: [
          obj('Deployment', 'linkerd-destination', cp),
          obj('Service', 'linkerd-dst', cp),
        ],
        releases: ['linkerd-control-plane'],
        labelSelector: 'linkerd.io/control-plane-ns=linkerd',
      },
    );
    expect(steps.map(s => (s as any).target.name)).toEqual([
      'linkerd-old-controller',
      'linkerd-old-api',
    ]);
    expect((steps[0] as any).description).toMatch(
      /left by the release \(linkerd.io\/control-plane-ns=linkerd\)/,
    );
    expect(
      matchesLabelSelector(cp, 'linkerd.io/control-plane-ns=linkerd'),
    ).toBe(true);
    expect(
      matchesLabelSelector(cp, 'linkerd.io/control-plane-ns!=linkerd'),
    ).toBe(false);
    expect(matchesLabelSelector({}, 'a,!b')).toBe(false);
    expect(matchesLabelSelector({ a: '1' }, 'a,!b')).toBe(true);
  });

  it('uninstalls (no next objects): what the planner knows, recorded and labelled objects; CRDs last only when asked', async () => {
    const obj = (
      apiVersion: string,
      kind: string,
      name: string,
      labels: Record<string, string> = {},
      namespace: string | undefined = 'istio-system',
    ) =>
      ({
        apiVersion,
        kind,
        metadata: { name, ...(namespace ? { namespace } : {}), labels },
      } as any);
    const release = { 'app.kubernetes.io/instance': 'istiod-1-28-9' };
    const crd = obj(
      'apiextensions.k8s.io/v1',
      'CustomResourceDefinition',
      'gateways.networking.istio.io',
      { 'app.kubernetes.io/instance': 'istio-base' },
      undefined,
    );
    const cluster = new InMemoryClusterView('dev', [
      obj('apps/v1', 'Deployment', 'istiod-1-28-9', release),
      obj('v1', 'ConfigMap', 'istio-1-28-9', release),
      crd,
      obj('v1', 'ConfigMap', 'user-config', {}, 'shop'),
    ]);
    const recorded = [
      // Applied by the built-in renderer of an earlier MeshStage: no release label.
      obj('v1', 'ServiceAccount', 'istiod-1-28-9'),
      obj('v1', 'ConfigMap', 'bookinfo-sample', {}, 'bookinfo'),
    ];
    const service = new ChartsService({
      config: readChartsConfig(
        new ConfigReader({ mesh: { charts: { cacheDir: 'cache' } } }),
        os.tmpdir(),
      ),
      logger: mockServices.logger.mock(),
      appliedObjects: async () => recorded,
    });
    const target = { cluster, clusterName: 'dev', mesh: 'istio' };
    const webhook = obj(
      'admissionregistration.k8s.io/v1',
      'MutatingWebhookConfiguration',
      'istio-sidecar-injector-1-28-9',
      {},
      undefined,
    );
    const options = {
      next: [],
      releases: ['istiod-1-28-9', 'istio-base'],
      installed: [webhook],
      recorded: (o: any) => o.metadata.namespace === 'istio-system',
    };
    const names = (steps: any[]) =>
      steps.map(s => `${s.target.kind}/${s.target.name}`);
    expect(names(await service.pruneSteps(target, options))).toEqual([
      'MutatingWebhookConfiguration/istio-sidecar-injector-1-28-9',
      'Deployment/istiod-1-28-9',
      'ConfigMap/istio-1-28-9',
      'ServiceAccount/istiod-1-28-9',
    ]);
    const all = await service.pruneSteps(target, {
      ...options,
      deleteCustomResourceDefinitions: true,
    });
    expect(names(all)).toEqual([
      'MutatingWebhookConfiguration/istio-sidecar-injector-1-28-9',
      'Deployment/istiod-1-28-9',
      'ConfigMap/istio-1-28-9',
      'ServiceAccount/istiod-1-28-9',
      'CustomResourceDefinition/gateways.networking.istio.io',
    ]);
    expect(all.map(s => s.description)).toEqual([
      expect.stringMatching(/\(from the installed version's rendering\)$/),
      expect.stringMatching(/\(from release istiod-1-28-9\)$/),
      expect.stringMatching(/\(from release istiod-1-28-9\)$/),
      expect.stringMatching(/\(from an earlier operation's record\)$/),
      expect.stringMatching(/\(from release istio-base\)$/),
    ]);
  });
});
