import type { LoggerService } from '@backstage/backend-plugin-api';
import type {
  ObjectRef,
  PlanObject,
  PlanStep,
} from '@meshstage/plugin-mesh-common';
import { objectRef } from '@meshstage/plugin-mesh-common';
import {
  deleteStep,
  kubeResourceOf,
  type InstallableMeshVersion,
  type KubeObject,
  type MeshAdapter,
  type MeshChart,
  type MeshChartSource,
  type MeshClusterView,
  type VendorManifests,
  type VendorRenderRequest,
} from '@meshstage/plugin-mesh-node';
import { ChartArchives, listLocalArchives } from './archives';
import {
  ChartIndexCache,
  type ChartIndexEntry,
  type ChartIndexReader,
  type FetchFn,
} from './ChartIndexCache';
import type { ChartsConfig } from './config';
import { HelmCli, type HelmPuller, type HelmTemplater } from './helm';
import { readOciIndex } from './oci';
import { isClusterScopedKind, parseRenderedManifests } from './manifests';
import { effectiveRepository, type EffectiveRepository } from './repositories';
import { mergeValues } from './values';
import {
  channelOrderOf,
  compareMeshVersions,
  sourceServesVersion,
} from './versions';

/** Where a mesh version's charts come from. */
interface Resolved {
  source: MeshChartSource;
  repository: EffectiveRepository;
  /** Per chart name: its version and index entry (absent for local archives and OCI). */
  charts: Map<string, { version: string; entry?: ChartIndexEntry }>;
}

/** What the backend knows of one adapter's chart sources. */
interface MeshCharts {
  resolved: Map<string, Resolved>;
  sources: ChartSourceInfo[];
}

/** A chart source as `GET /adapters` shows it. */
export interface ChartSourceInfo {
  id: string;
  repository: string;
  via: EffectiveRepository['via'];
  charts: string[];
  /** When the index (an OCI repository's tags) in use was read (absent before the first read). */
  indexReadAt?: string;
  /** Why the index could not be read (the last attempt). */
  error?: string;
}

/** An adapter's charts for `GET /adapters`. */
export interface AdapterChartsInfo {
  source: 'helm' | 'builtin';
  versions: InstallableMeshVersion[];
  chartSources?: ChartSourceInfo[];
}

export interface ChartsServiceOptions {
  config: ChartsConfig;
  logger: LoggerService;
  fetch?: FetchFn;
  helm?: HelmTemplater;
  /** Pulls charts from OCI repositories (defaults to the real helm). */
  helmPull?: HelmPuller;
  /**
   * The objects earlier operations applied for a cluster and mesh (the lifecycle store), so that
   * upgrades prune what the previous release created.
   */
  appliedObjects?: (cluster: string, mesh: string) => Promise<KubeObject[]>;
}

/** Labels charts put on their objects naming the Helm release. */
const RELEASE_LABELS = ['app.kubernetes.io/instance', 'release'];

/** Deletion order of pruned objects: admission first, then workloads, config, RBAC last. */
const PRUNE_ORDER = [
  'MutatingWebhookConfiguration',
  'ValidatingWebhookConfiguration',
  'APIService',
  'Deployment',
  'DaemonSet',
  'StatefulSet',
  'Job',
  'HorizontalPodAutoscaler',
  'PodDisruptionBudget',
  'Service',
  'ConfigMap',
  'Secret',
];
const pruneRank = (kind: string) => {
  // CRDs after everything else: removing one deletes every resource of it.
  if (kind === 'CustomResourceDefinition') return PRUNE_ORDER.length + 2;
  const i = PRUNE_ORDER.indexOf(kind);
  if (i >= 0) return i;
  return /Role|ServiceAccount/.test(kind)
    ? PRUNE_ORDER.length + 1
    : PRUNE_ORDER.length;
};
/** Kinds an uninstall looks for live by the release labels even when nothing names them. */
const UNINSTALL_KINDS = [
  ['admissionregistration.k8s.io/v1', 'MutatingWebhookConfiguration'],
  ['admissionregistration.k8s.io/v1', 'ValidatingWebhookConfiguration'],
  ['apps/v1', 'Deployment'],
  ['apps/v1', 'DaemonSet'],
  ['autoscaling/v2', 'HorizontalPodAutoscaler'],
  ['policy/v1', 'PodDisruptionBudget'],
  ['v1', 'Service'],
  ['v1', 'ConfigMap'],
  ['v1', 'Secret'],
  ['v1', 'ServiceAccount'],
  ['rbac.authorization.k8s.io/v1', 'Role'],
  ['rbac.authorization.k8s.io/v1', 'RoleBinding'],
  ['rbac.authorization.k8s.io/v1', 'ClusterRole'],
  ['rbac.authorization.k8s.io/v1', 'ClusterRoleBinding'],
  ['apiextensions.k8s.io/v1', 'CustomResourceDefinition'],
].map(([apiVersion, kind]) => ({ apiVersion, kind }));

/** Never pruned: removing a CRD deletes every resource of it; a Namespace everything in it. */
const NEVER_PRUNED = new Set(['CustomResourceDefinition', 'Namespace']);

/**
 * Whether labels match an equality-based label selector (`k=v`, `k==v`, `k!=v`, `k`, `!k`,
 * comma-separated). Set-based terms (`in`, `notin`) are not supported here.
 */
export function matchesLabelSelector(
  labels: Record<string, string> | undefined,
  selector: string,
): boolean {
  const terms = selector
    .split(',')
    .map(t => t.trim())
    .filter(Boolean);
  if (terms.length === 0) return false;
  return terms.every(term => {
    const ne = term.match(/^([^!=\s]+)\s*!=\s*(.*)$/);
    if (ne) return (labels?.[ne[1]] ?? undefined) !== ne[2];
    const eq = term.match(/^([^!=\s]+)\s*==?\s*(.*)$/);
    if (eq) return labels?.[eq[1]] === eq[2];
    if (term.startsWith('!')) return labels?.[term.slice(1)] === undefined;
    return labels?.[term] !== undefined;
  });
}

const groupOf = (apiVersion: string) =>
  apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
const identity = (o: ObjectRef) =>
  `${groupOf(o.apiVersion)}/${o.kind}/${o.namespace ?? ''}/${o.name}`;

/**
 * The vendors' charts: reads the chart repositories' indexes the adapters declare (cached in
 * memory and on disk, refreshed on a schedule), lists the installable versions per adapter, and
 * renders charts with the real `helm template` for the adapters' planners
 * ({@link VendorManifests}).
 */
export class ChartsService {
  readonly #indexes: ChartIndexCache;
  readonly #archives: ChartArchives;
  readonly #helm: HelmTemplater;
  readonly #meshes = new Map<string, MeshCharts>();
  readonly #errors = new Map<string, string>();
  readonly #adapters = new Map<string, MeshAdapter>();

  constructor(private readonly options: ChartsServiceOptions) {
    const { config } = options;
    this.#indexes = new ChartIndexCache({
      cacheDir: config.cacheDir,
      fetchTimeoutMs: config.fetchTimeoutMs,
      fetch: options.fetch,
    });
    const cli = new HelmCli({
      binary: config.helmBinary,
      timeoutMs: config.helmTimeoutMs,
    });
    this.#archives = new ChartArchives({
      cacheDir: config.cacheDir,
      localDir: config.localDir,
      fetchTimeoutMs: config.fetchTimeoutMs,
      fetch: options.fetch,
      helm: options.helmPull ?? cli,
    });
    this.#helm = options.helm ?? cli;
  }

  get source(): 'helm' | 'builtin' {
    return this.options.config.source;
  }

  /** The index cache (tests look at it). */
  get indexes(): ChartIndexCache {
    return this.#indexes;
  }

  /**
   * Takes the adapters that declare charts and loads what the disk cache knows of their indexes
   * (no network): versions are listed from the last run's indexes until the first refresh.
   */
  async register(adapters: MeshAdapter[]): Promise<void> {
    for (const adapter of adapters) {
      if (adapter.charts) this.#adapters.set(adapter.id, adapter);
    }
    if (this.source !== 'helm') return;
    for (const adapter of this.#adapters.values()) {
      for (const source of adapter.charts!.sources) {
        const repo = effectiveRepository(
          adapter.id,
          source,
          this.options.config,
        );
        await this.#indexes.loadFromDisk(repo.url);
      }
      await this.#rebuild(adapter);
    }
  }

  /**
   * Reads every declared repository's index again (the scheduled task). A repository that fails
   * keeps its previous index; the error shows in `GET /adapters` and the log.
   */
  async refresh(): Promise<void> {
    if (this.source !== 'helm') return;
    const readers = this.#ociReaders();
    for (const adapter of this.#adapters.values()) {
      await Promise.all(
        adapter.charts!.sources.map(async source => {
          const repo = effectiveRepository(
            adapter.id,
            source,
            this.options.config,
          );
          try {
            await this.#indexes.refresh(repo.url, readers.get(repo.url));
            this.#errors.delete(repo.url);
          } catch (error) {
            const message = (error as Error).message;
            this.#errors.set(repo.url, message);
            this.options.logger.warn(
              `Charts of ${adapter.displayName} (${source.id}): ${message}`,
            );
          }
        }),
      );
      await this.#rebuild(adapter);
    }
  }

  /**
   * How each OCI repository's index is read: the tags of every chart any source reads from it
   * (sources may share one repository), with the repository's credentials, and the `appVersion`
   * of the charts whose source takes its mesh version from it. HTTP repositories read their
   * `index.yaml` (the cache's default).
   */
  #ociReaders(): Map<string, ChartIndexReader> {
    const { config } = this.options;
    const charts = new Map<
      string,
      {
        access?: EffectiveRepository['access'];
        names: Set<string>;
        appVersionOf: Set<string>;
      }
    >();
    for (const adapter of this.#adapters.values()) {
      for (const source of adapter.charts!.sources) {
        const repo = effectiveRepository(adapter.id, source, config);
        if (repo.kind !== 'oci') continue;
        const known = charts.get(repo.url) ?? {
          access: repo.access,
          names: new Set<string>(),
          appVersionOf: new Set<string>(),
        };
        for (const chart of source.charts) known.names.add(chart.name);
        if (source.meshVersionFrom === 'appVersion') {
          known.appVersionOf.add(
            source.versionChart ?? source.charts[0]?.name ?? '',
          );
        }
        charts.set(repo.url, known);
      }
    }
    return new Map(
      [...charts].map(([url, { access, names, appVersionOf }]) => [
        url,
        (repository: string, previous) =>
          readOciIndex(repository, names, {
            access,
            fetchTimeoutMs: config.fetchTimeoutMs,
            fetch: this.options.fetch,
            appVersionOf,
            previous,
          }),
      ]),
    );
  }

  /** Recomputes an adapter's installable versions from the indexes in memory and localDir. */
  async #rebuild(adapter: MeshAdapter): Promise<void> {
    const { config } = this.options;
    const resolved = new Map<string, Resolved>();
    const sources: ChartSourceInfo[] = [];
    for (const source of adapter.charts!.sources) {
      const repository = effectiveRepository(adapter.id, source, config);
      const first =
        source.charts.find(c => c.name === source.versionChart) ??
        source.charts[0];
      const rest = source.charts.filter(c => c !== first);
      const meshVersionOf = (e: { version: string; appVersion?: string }) =>
        source.meshVersionFrom === 'appVersion' ? e.appVersion : e.version;
      const add = (version: string | undefined, charts: Resolved['charts']) => {
        if (!version || resolved.has(version)) return;
        if (!sourceServesVersion(source, version)) return;
        if (charts.size !== source.charts.length) return;
        // In install order, as declared.
        const ordered: Resolved['charts'] = new Map(
          source.charts.map(c => [c.name, charts.get(c.name)!]),
        );
        resolved.set(version, { source, repository, charts: ordered });
      };
      /** The companion chart's entry for a mesh version, by pin, chart version or mesh version. */
      const companion = <T extends { version: string; appVersion?: string }>(
        chart: MeshChart,
        candidates: T[],
        version: string | undefined,
        primaryChartVersion: string,
      ): T | undefined => {
        const pinned = version
          ? source.pins?.[version]?.[chart.name]
          : undefined;
        if (pinned) return candidates.find(c => c.version === pinned);
        if (chart.match === 'chartVersion') {
          return candidates.find(c => c.version === primaryChartVersion);
        }
        return candidates.find(c => meshVersionOf(c) === version);
      };
      // Local archives first: they are used before any network.
      if (config.localDir && first) {
        const local = new Map(
          await Promise.all(
            source.charts.map(
              async c =>
                [
                  c.name,
                  await listLocalArchives(config.localDir!, c.name),
                ] as const,
            ),
          ),
        );
        for (const archive of local.get(first.name) ?? []) {
          const version = meshVersionOf(archive);
          const charts: Resolved['charts'] = new Map([
            [first.name, { version: archive.version }],
          ]);
          for (const chart of rest) {
            const match = companion(
              chart,
              local.get(chart.name) ?? [],
              version,
              archive.version,
            );
            if (match) charts.set(chart.name, { version: match.version });
          }
          add(version, charts);
        }
      }
      // The repository's index: an HTTP repository's `index.yaml`, an OCI one's tags.
      const index = this.#indexes.peek(repository.url);
      const indexReadAt = index?.fetchedAt;
      for (const entry of (first && index?.entries[first.name]) || []) {
        if (entry.deprecated) continue;
        const version = meshVersionOf(entry);
        const charts: Resolved['charts'] = new Map([
          [first.name, { version: entry.version, entry }],
        ]);
        for (const chart of rest) {
          const match = companion(
            chart,
            (index!.entries[chart.name] ?? []).filter(e => !e.deprecated),
            version,
            entry.version,
          );
          if (match)
            charts.set(chart.name, { version: match.version, entry: match });
        }
        add(version, charts);
      }
      // Versions configured for OCI repositories besides their tags (chart version = mesh version).
      if (
        repository.kind === 'oci' &&
        source.meshVersionFrom !== 'appVersion'
      ) {
        for (const version of config.ociVersions[adapter.id] ?? []) {
          add(
            version,
            new Map(
              source.charts.map(c => [
                c.name,
                { version: source.pins?.[version]?.[c.name] ?? version },
              ]),
            ),
          );
        }
      }
      sources.push({
        id: source.id,
        repository: repository.url,
        via: repository.via,
        charts: source.charts.map(c => c.name),
        indexReadAt,
        error: this.#errors.get(repository.url),
      });
    }
    this.#meshes.set(adapter.id, { resolved, sources });
  }

  /** The versions an adapter can install now, oldest first, with their source. */
  versions(adapter: MeshAdapter): InstallableMeshVersion[] {
    const builtin = () =>
      adapter.supportedVersions().map(version => ({
        version,
        source: 'builtin' as const,
      }));
    if (this.source !== 'helm' || !adapter.charts) return builtin();
    const mesh = this.#meshes.get(adapter.id);
    const out: InstallableMeshVersion[] = [];
    for (const [version, r] of mesh?.resolved ?? []) {
      out.push({
        version,
        source: 'helm',
        chartSource: r.source.id,
        repository: r.repository.url,
        charts: [...r.charts].map(([name, c]) => ({
          name,
          version: c.version,
        })),
      });
    }
    if (this.options.config.builtinFallback) {
      for (const b of builtin()) {
        if (!mesh?.resolved.has(b.version)) out.push(b);
      }
    }
    const order = channelOrderOf(adapter.charts);
    return out.sort((a, b) => compareMeshVersions(a.version, b.version, order));
  }

  /** What `GET /adapters` shows of an adapter's charts. */
  info(adapter: MeshAdapter): AdapterChartsInfo {
    return {
      source: adapter.charts ? this.source : 'builtin',
      versions: this.versions(adapter),
      ...(adapter.charts && this.source === 'helm'
        ? { chartSources: this.#meshes.get(adapter.id)?.sources ?? [] }
        : {}),
    };
  }

  /** Renders one chart of a mesh version with `helm template`. */
  async render(
    adapter: MeshAdapter,
    request: VendorRenderRequest,
  ): Promise<PlanObject[]> {
    if (this.source !== 'helm') {
      throw new Error(
        `mesh.charts.source is 'builtin': ${adapter.displayName} ${request.version} is rendered by the adapter's built-in renderer`,
      );
    }
    const resolved = this.#meshes
      .get(adapter.id)
      ?.resolved.get(request.version);
    if (!resolved) {
      const repos = (this.#meshes.get(adapter.id)?.sources ?? [])
        .map(s => s.repository)
        .join(', ');
      throw new Error(
        `${adapter.displayName} ${
          request.version
        } is not in its chart repositories (${repos || 'none declared'})`,
      );
    }
    const chart = resolved.charts.get(request.chart);
    if (!chart) {
      throw new Error(
        `${adapter.displayName} has no chart '${request.chart}' in source '${
          resolved.source.id
        }' (charts: ${[...resolved.charts.keys()].join(', ')})`,
      );
    }
    const location = await this.#archives.locate({
      chart: request.chart,
      chartVersion: chart.version,
      repository: resolved.repository,
      entry: chart.entry,
    });
    const layers = Array.isArray(request.values)
      ? request.values
      : [request.values];
    const output = await this.#helm.template({
      release: request.release,
      namespace: request.namespace,
      chart: location,
      values: mergeValues(...layers),
      kubeVersion: this.options.config.kubeVersion,
    });
    return parseRenderedManifests(output, request.namespace);
  }

  /**
   * Delete steps for the previous releases' objects that `next` no longer contains (an uninstall
   * passes `next: []`): the objects the planner knows the release holds (`installed`), what
   * operations applied for the cluster and mesh, and the live objects of the kinds involved,
   * each labelled with one of `releases` (`app.kubernetes.io/instance` or `release`), matching
   * `labelSelector` (charts without release labels, e.g. Linkerd's) or, for recorded objects,
   * accepted by `recorded`. Namespaces are never pruned; CRDs only with
   * `deleteCustomResourceDefinitions`, after everything else.
   */
  async pruneSteps(
    target: { cluster: MeshClusterView; clusterName: string; mesh: string },
    options: Parameters<VendorManifests['pruneSteps']>[0],
  ): Promise<PlanStep[]> {
    const releases = new Set(options.releases);
    const { labelSelector: extra } = options;
    const installed = options.installed ?? [];
    const deleteCrds = options.deleteCustomResourceDefinitions === true;
    const pruned = (kind: string) =>
      !NEVER_PRUNED.has(kind) ||
      (deleteCrds && kind === 'CustomResourceDefinition');
    const inRelease = (o: KubeObject) =>
      RELEASE_LABELS.some(l => releases.has(o.metadata?.labels?.[l] ?? '')) ||
      (extra !== undefined && matchesLabelSelector(o.metadata?.labels, extra));
    const keep = new Set(options.next.map(o => identity(objectRef(o))));
    const candidates = new Map<string, { object: KubeObject; why: string }>();
    const add = (o: KubeObject, why: string) => {
      const id = identity(objectRef(o as PlanObject));
      if (!candidates.has(id)) candidates.set(id, { object: o, why });
    };
    const releaseOf = (o: KubeObject) =>
      RELEASE_LABELS.map(l => o.metadata?.labels?.[l]).find(
        r => r && releases.has(r),
      );
    const whyLabelled = (o: KubeObject) => {
      const release = releaseOf(o);
      return release ? `release ${release}` : `the release (${extra ?? ''})`;
    };
    for (const o of installed) {
      add(
        o as KubeObject,
        inRelease(o as KubeObject)
          ? whyLabelled(o as KubeObject)
          : "the installed version's rendering",
      );
    }
    const applied =
      (await this.options.appliedObjects?.(target.clusterName, target.mesh)) ??
      [];
    for (const o of applied) {
      if (inRelease(o)) add(o, whyLabelled(o));
      else if (options.recorded?.(o)) add(o, "an earlier operation's record");
    }
    // Live objects of every kind the releases are known to hold (an uninstall also looks for
    // the kinds control-plane charts hold, for releases installed without a record).
    const kinds = new Map<string, { apiVersion: string; kind: string }>();
    const usual = options.next.length === 0 ? UNINSTALL_KINDS : [];
    for (const o of [...usual, ...options.next, ...installed, ...applied]) {
      kinds.set(`${groupOf(o.apiVersion)}/${o.kind}`, o);
    }
    const selector = `${RELEASE_LABELS[0]} in (${[...releases].join(',')})`;
    const legacy = `${RELEASE_LABELS[1]} in (${[...releases].join(',')})`;
    const selectors = [
      ...(releases.size ? [selector, legacy] : []),
      ...(extra ? [extra] : []),
    ];
    await Promise.all(
      [...kinds.values()].map(async ({ apiVersion, kind }) => {
        if (!pruned(kind)) return;
        const resource = kubeResourceOf(apiVersion, kind);
        for (const labelSelector of selectors) {
          const live = await target.cluster
            .list(resource, { labelSelector })
            .catch(() => [] as KubeObject[]);
          for (const o of live) {
            const object = { ...o, apiVersion, kind };
            const id = identity(objectRef(object as PlanObject));
            // The live object's labels name its release best.
            if (candidates.get(id)?.why.startsWith('release ')) continue;
            candidates.set(id, { object, why: whyLabelled(object) });
          }
        }
      }),
    );
    const uninstall = options.next.length === 0;
    return [...candidates.entries()]
      .filter(([id, c]) => !keep.has(id) && pruned(c.object.kind))
      .map(([, c]) => c)
      .sort(
        (a, b) =>
          pruneRank(a.object.kind) - pruneRank(b.object.kind) ||
          identity(objectRef(a.object as PlanObject)).localeCompare(
            identity(objectRef(b.object as PlanObject)),
          ),
      )
      .map(({ object, why }) => {
        const step = deleteStep(object as PlanObject);
        return {
          ...step,
          description: `${step.description} (${
            uninstall ? `from ${why}` : `left by ${why}; not in the new one`
          })`,
        };
      });
  }

  /** The {@link VendorManifests} an adapter's planner gets for one plan. */
  vendorManifests(
    adapter: MeshAdapter,
    target: { cluster: MeshClusterView; clusterName: string },
  ): VendorManifests {
    return {
      source: this.source,
      versions: () => this.versions(adapter),
      rendersVersion: version =>
        this.source === 'helm' &&
        Boolean(this.#meshes.get(adapter.id)?.resolved.has(version)),
      render: request => this.render(adapter, request),
      pruneSteps: options =>
        this.pruneSteps({ ...target, mesh: adapter.id }, options),
    };
  }

  /**
   * The adapter as the rest of the backend sees it: `supportedVersions()` lists the installable
   * versions (the chart repositories' in `helm` mode), and `plan` gets
   * {@link PlanContext.vendorManifests}. Adapters without charts are returned as they are; every
   * other member is the adapter's own.
   */
  decorate(adapter: MeshAdapter): MeshAdapter {
    if (!adapter.charts) return adapter;
    return new Proxy(adapter, {
      get: (target, property) => {
        if (property === 'supportedVersions') {
          return () => this.versions(target).map(v => v.version);
        }
        if (property === 'plan' && target.plan) {
          return (
            request: Parameters<NonNullable<MeshAdapter['plan']>>[0],
            ctx: Parameters<NonNullable<MeshAdapter['plan']>>[1],
          ) =>
            target.plan!(request, {
              ...ctx,
              vendorManifests: this.vendorManifests(target, {
                cluster: ctx.cluster,
                clusterName: request.cluster,
              }),
            });
        }
        const value = Reflect.get(target, property, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  }
}

export { isClusterScopedKind };
