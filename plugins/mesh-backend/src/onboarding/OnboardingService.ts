import type {
  AuthService,
  BackstageCredentials,
} from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type {
  EntityOnboarding,
  OnboardingList,
  OnboardingListFilter,
  OnboardingOperationSummary,
} from '@meshstage/plugin-mesh-common';
import { ONBOARDING_STATES } from '@meshstage/plugin-mesh-common';
import { type KubePod, kubeResources } from '@meshstage/plugin-mesh-node';
import type { AdapterRegistry } from '../adapters/AdapterRegistry';
import type { ClusterClient, ClusterClients } from '../cluster';
import type { OperationStore } from '../lifecycle';
import { BoundedMap } from '../service/BoundedMap';
import { RecentValue } from '../service/RecentValue';
import { attemptState } from './backoff';
import { compareOnboarding } from './compareOnboarding';
import { newestFirst } from './onboardedMeshes';
import { onboardingEntity } from './onboardingEntity';
import type { OnboardingConfig } from './readOnboardingConfig';
import { readClusterSnapshots } from './readClusterSnapshots';
import { readOnboardingEntities } from './readOnboardingEntities';
import type { RefusalBook } from './RefusalBook';
import {
  isOnboardingOperation,
  type OnboardingComparison,
  type OnboardingEntity,
  type OnboardingOperation,
} from './types';

/**
 * The onboarding operations read per comparison, newest first. Each entity's state depends on its
 * latest few; a portal that has started more than this many keeps working on the newest.
 */
const HISTORY_LIMIT = 5000;

/** What {@link OnboardingService} needs. */
export interface OnboardingServiceOptions {
  catalog: CatalogService;
  /** The plugin's own credentials read the catalog neighbours an entity's state is compared with. */
  auth: AuthService;
  clusters: ClusterClients;
  adapters: AdapterRegistry;
  store: OperationStore;
  settings: OnboardingConfig;
  refusals: RefusalBook;
  /** The clock backoff is measured with (tests move it forward). */
  now?: () => Date;
}

/** One full comparison: each entity's state, and the onboarding operations it was made with. */
export interface OnboardingSnapshot {
  comparisons: OnboardingComparison[];
  history: OnboardingOperation[];
}

/**
 * The catalog-driven onboarding's reads: reads the catalog (entities with `meshstage.io/mesh`,
 * and those the onboarding onboarded earlier), the clusters and the onboarding's operations, and
 * compares them (see {@link compareOnboarding}), adding where the automatic attempts stand.
 */
export class OnboardingService {
  // Every entity status asks for its onboarding state; these inputs are the same for all of them
  // and need not be fresher than a second or a few (the automation reads its own, uncached).
  // Read again each second or few, they keep their object while their content is the same, so
  // that the comparisons kept below (under these objects) outlive the reads.
  readonly #recentHistory = new RecentValue(
    () => this.history(),
    1_000,
    historyKey,
  );
  readonly #recentEntities = new RecentValue(
    async () => {
      const history = await this.#recentHistory.get();
      return readOnboardingEntities(
        this.options.catalog,
        await this.options.auth.getOwnServiceCredentials(),
        history.flatMap(op => op.cause.entityRefs),
      );
    },
    5_000,
    entities => JSON.stringify(entities),
  );

  // Each entity's last comparison and what it was made from, so a status asked for again before
  // anything it depends on moved (the entity, the neighbours, the history, the clusters' watched
  // views) is not compared again.
  readonly #comparisons = new BoundedMap<string, KeptComparison>(20_000);

  constructor(private readonly options: OnboardingServiceOptions) {}

  get mode() {
    return this.options.settings.mode;
  }

  /** The operations the onboarding started, newest first. */
  async history(): Promise<OnboardingOperation[]> {
    const ops = await this.options.store.list({
      causeKind: 'onboarding',
      limit: HISTORY_LIMIT,
    });
    return ops.filter(isOnboardingOperation);
  }

  /** Compares every entity, on every cluster or the one named; catalog read with `credentials`. */
  async compareAll(options: {
    credentials: BackstageCredentials;
    cluster?: string;
  }): Promise<OnboardingSnapshot> {
    const { catalog, clusters, adapters } = this.options;
    const history = await this.history();
    const entities = await readOnboardingEntities(
      catalog,
      options.credentials,
      history.flatMap(op => op.cause.entityRefs),
    );
    const targets = clusters
      .list()
      .filter(c => !options.cluster || c.name === options.cluster);
    const comparisons = compareOnboarding({
      entities,
      clusters: await readClusterSnapshots(targets),
      configuredClusters: clusters.names(),
      adapters: adapters.list(),
      history,
    });
    return { comparisons: [...comparisons.values()], history };
  }

  /** `GET /onboarding`: the entities and their states, most pressing first. */
  async list(
    filter: OnboardingListFilter,
    credentials: BackstageCredentials,
  ): Promise<OnboardingList> {
    const { comparisons, history } = await this.compareAll({
      credentials,
      cluster: filter.cluster,
    });
    const items = comparisons
      .filter(
        c =>
          (!filter.state || c.state === filter.state) &&
          (!filter.mesh ||
            c.desiredMesh === filter.mesh ||
            c.fixes.some(f => f.request.mesh === filter.mesh)),
      )
      .map(c => this.withAttempts(c, history))
      .sort(
        (a, b) =>
          ONBOARDING_STATES.indexOf(a.state) -
            ONBOARDING_STATES.indexOf(b.state) ||
          a.entityRef.localeCompare(b.entityRef),
      );
    return { mode: this.mode, items };
  }

  /**
   * One entity's state, for its status: its pods' namespaces are read in full (the neighbours
   * there count), other namespaces not at all. `undefined` when it neither asks for a mesh nor has
   * anything the onboarding put it in.
   */
  async forEntity(entity: Entity): Promise<EntityOnboarding | undefined> {
    const { clusters, adapters } = this.options;
    const focus = onboardingEntity(entity);
    // What the comparison reads of the entity: a refreshed copy of an unchanged entity keeps it.
    const focusKey = JSON.stringify(focus);
    const history = await this.#recentHistory.get();
    const former = history.some(op =>
      op.cause.entityRefs.includes(focus.entityRef),
    );
    if (!focus.desiredMesh && !former) return undefined;

    const targets = clusters
      .list()
      .filter(c => !focus.cluster || c.name === focus.cluster);
    const everyone = await this.#recentEntities.get();
    const views = viewsVersion(targets);
    const kept = this.#comparisons.get(focus.entityRef);
    if (
      views !== undefined &&
      kept?.views === views &&
      kept.focus === focusKey &&
      kept.history === history &&
      kept.everyone === everyone
    ) {
      return kept.comparison && this.withAttempts(kept.comparison, history);
    }
    const namespaces = new Map<string, string[]>();
    const failed = new Map<string, string>();
    if (focus.selector) {
      await Promise.all(
        targets.map(async cluster => {
          try {
            namespaces.set(
              cluster.name,
              await this.#podNamespaces(cluster, focus),
            );
          } catch (error) {
            failed.set(cluster.name, (error as Error).message);
          }
        }),
      );
    }
    const snapshots = (
      await readClusterSnapshots(
        targets.filter(c => !failed.has(c.name)),
        namespaces,
      )
    ).concat(
      [...failed].map(([cluster, error]) => ({
        cluster,
        error,
        namespaces: [],
        pods: [],
      })),
    );
    // The neighbours the automation sees (all of them, not only those the caller may read), so
    // the state shown is the one the automation acts on.
    const podNamespaces = snapshots.map(snapshot => ({
      cluster: snapshot.cluster,
      namespaces: new Set(snapshot.pods.map(p => p.metadata.namespace ?? '')),
    }));
    const neighbours = everyone.filter(e => couldLiveIn(e, podNamespaces));
    const comparison = compareOnboarding({
      entities: [
        focus,
        ...neighbours.filter(e => e.entityRef !== focus.entityRef),
      ],
      clusters: snapshots,
      configuredClusters: clusters.names(),
      adapters: adapters.list(),
      history,
      only: focus.entityRef,
    }).get(focus.entityRef);
    // Kept under the views' version from before the reads: a view that moved meanwhile only
    // means the next request compares again.
    if (views !== undefined && failed.size === 0) {
      this.#comparisons.set(focus.entityRef, {
        focus: focusKey,
        history,
        everyone,
        views,
        comparison,
      });
    }
    return comparison && this.withAttempts(comparison, history);
  }

  /** The namespaces where an entity's pods run on a cluster (the entity status's own query). */
  async #podNamespaces(
    cluster: ClusterClient,
    entity: OnboardingEntity,
  ): Promise<string[]> {
    const pods = await cluster.list<KubePod>(kubeResources.pods, {
      namespace: entity.namespace,
      labelSelector: entity.labelSelector,
    });
    return [...new Set(pods.map(p => p.metadata.namespace ?? ''))].sort();
  }

  /** Adds the latest automatic operation and, after failures, when the next attempt may start. */
  withAttempts(
    comparison: OnboardingComparison,
    history: OnboardingOperation[],
  ): EntityOnboarding {
    const { refusals, settings } = this.options;
    const now = (this.options.now ?? (() => new Date()))();
    const latest = history
      .filter(op => op.cause.entityRefs.includes(comparison.entityRef))
      .sort(newestFirst)[0];
    let nextAttemptAt: string | undefined;
    let lastError: string | undefined;
    for (const fix of comparison.fixes) {
      const attempt = attemptState({
        entityRef: comparison.entityRef,
        fix,
        history,
        refusal: refusals.get(comparison.entityRef, fix),
        settings: settings.backoff,
      });
      if (attempt.notBefore && Date.parse(attempt.notBefore) > now.getTime()) {
        nextAttemptAt =
          !nextAttemptAt || attempt.notBefore > nextAttemptAt
            ? attempt.notBefore
            : nextAttemptAt;
        lastError = lastError ?? attempt.lastError;
      }
    }
    return {
      ...comparison,
      ...(latest && { operation: operationSummary(latest) }),
      ...(nextAttemptAt && { nextAttemptAt }),
      ...(lastError && { lastError }),
    };
  }
}

function operationSummary(op: OnboardingOperation): OnboardingOperationSummary {
  return {
    id: op.id,
    action: op.request.action,
    cluster: op.cluster,
    mesh: op.mesh,
    namespace: op.request.namespace,
    state: op.state,
    summary: op.summary,
    createdAt: op.createdAt,
    ...(op.finishedAt && { finishedAt: op.finishedAt }),
    ...(op.error && { error: op.error }),
  };
}

/** One entity's comparison and the inputs it was made from (compared by identity). */
interface KeptComparison {
  /** The entity as compared ({@link onboardingEntity}), as JSON. */
  focus: string;
  history: OnboardingOperation[];
  everyone: OnboardingEntity[];
  views: string;
  comparison: OnboardingComparison | undefined;
}

/**
 * What the onboarding reads of its operations: the fields a write changes (`updatedAt` moves with
 * every write but heartbeats, which the comparison does not read).
 */
function historyKey(history: OnboardingOperation[]): string {
  return history
    .map(
      op =>
        `${op.id} ${op.updatedAt} ${op.state} ${op.run} ${
          op.currentStep ?? ''
        } ${op.finishedAt ?? ''}`,
    )
    .join('\n');
}

/** The clusters' watched views' versions together; `undefined` when any has none. */
function viewsVersion(clusters: ClusterClient[]): string | undefined {
  const versions: string[] = [];
  for (const cluster of clusters) {
    const version = cluster.viewVersion?.();
    if (version === undefined) return undefined;
    versions.push(`${cluster.name}=${version}`);
  }
  return versions.join('\n');
}

/**
 * Whether an entity could have pods among those read (by cluster, the namespaces they run in): one
 * pinned to another cluster or namespace cannot, and leaving it out spares matching its selector
 * against every pod (a portal with a thousand annotated entities asks this on every entity status).
 */
function couldLiveIn(
  entity: OnboardingEntity,
  podNamespaces: Array<{ cluster: string; namespaces: Set<string> }>,
): boolean {
  return podNamespaces.some(
    read =>
      (!entity.cluster || entity.cluster === read.cluster) &&
      (!entity.namespace || read.namespaces.has(entity.namespace)),
  );
}
