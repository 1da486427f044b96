import type { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError, InputError } from '@backstage/errors';
import type {
  LifecycleRequest,
  ObjectRef,
  OperationCause,
  OperationPlanPreview,
  Plan,
  PlanObject,
  PlanPreview,
  ReconcileRequest,
  ResolvedCanaryGate,
  UpgradeRequest,
} from '@meshstage/plugin-mesh-common';
import { objectRef } from '@meshstage/plugin-mesh-common';
import type { MeshDetection, PlanSecrets } from '@meshstage/plugin-mesh-node';
import { MemoryPlanSecrets, renderPlanDiff } from '@meshstage/plugin-mesh-node';
import type { AdapterRegistry } from '../adapters/AdapterRegistry';
import type { ClusterClients, ClusterWriter } from '../cluster';
import { requireAdapter, requireCluster } from '../service/lookups';
import { buildRevertPlan } from './buildRevertPlan';
import { objectKey } from './objectKey';
import type { OperationRunner } from './OperationRunner';
import type { OperationStore } from './OperationStore';
import type { Operation, OperationState } from './types';

/** What {@link OperationService} needs. */
export interface OperationServiceOptions {
  adapters: AdapterRegistry;
  clusters: ClusterClients;
  store: OperationStore;
  runner: OperationRunner;
  logger: LoggerService;
  /** A running operation whose heartbeat is older than this is taken as interrupted. */
  interruptAfterMs: number;
  /** The clock the interruption sweep measures heartbeat age with (tests move it forward). */
  now?: () => Date;
  /**
   * Plans `reconcile` requests (the drift feature): they restore what earlier operations applied,
   * so the backend plans them rather than the adapter.
   */
  planReconcile?: (request: ReconcileRequest) => Promise<Plan>;
  /**
   * Resolves a canary upgrade's `gate` (its profile and namespace) for the adapter's plan
   * context, 400 naming the field for bad input (the benchmark feature). Without it gated
   * requests are refused.
   */
  resolveCanaryGate?: (
    request: UpgradeRequest,
    detection: MeshDetection,
  ) => Promise<ResolvedCanaryGate>;
}

/** States an operation can be resumed from. */
const RESUMABLE: readonly OperationState[] = ['interrupted', 'failed'];
/** States an operation can be reverted from. */
const REVERTIBLE: readonly OperationState[] = [
  'interrupted',
  'failed',
  'revert-failed',
];

/**
 * Lifecycle operations end to end: plans a request with its adapter (with the context the
 * adapter needs, including the detection recorded before the operation a rollback undoes),
 * starts, resumes and reverts operations in the background, and marks operations of dead
 * backend processes interrupted.
 */
export class OperationService {
  constructor(private readonly options: OperationServiceOptions) {}

  get store(): OperationStore {
    return this.options.store;
  }

  /** Plans a request without changing anything; 400 for requests the adapter cannot plan. */
  async plan(
    request: LifecycleRequest,
    /**
     * Receives the private material the adapter generates (never part of the plan); a dry run
     * passes a throwaway one.
     */
    secrets: PlanSecrets = new MemoryPlanSecrets(),
  ): Promise<{ plan: Plan; detection: MeshDetection }> {
    const { adapters, clusters } = this.options;
    // Plans diff against the cluster as it is now, managedFields included: read it directly.
    const cluster = requireCluster(
      clusters,
      request.cluster,
      "body field 'cluster'",
      { live: true },
    );
    const adapter = requireAdapter(adapters, request.mesh, "body field 'mesh'");
    if (request.action === 'reconcile') {
      const { planReconcile } = this.options;
      if (!planReconcile) {
        throw new InputError('Reconcile is not available in this backend');
      }
      const detection = await adapter.detect(cluster);
      try {
        return { plan: await planReconcile(request), detection };
      } catch (error) {
        throw new InputError((error as Error).message);
      }
    }
    if (!adapter.plan) {
      throw new InputError(
        `Mesh '${adapter.id}' does not support lifecycle operations`,
      );
    }
    const supported = adapter.supportedVersions();
    let version: { field: string; value: string } | undefined;
    if (request.action === 'install') {
      version = { field: 'version', value: request.version };
    } else if (request.action === 'upgrade') {
      version = { field: 'toVersion', value: request.toVersion };
    }
    if (version && !supported.includes(version.value)) {
      throw new InputError(
        `Invalid body field '${version.field}': ${adapter.displayName} ${
          version.value
        } is not supported; supported versions: ${supported.join(', ')}`,
      );
    }
    const previousDetection =
      request.action === 'rollback'
        ? await this.#rollbackBaseline(request)
        : undefined;
    const detection = await adapter.detect(cluster);
    const canaryGate =
      request.action === 'upgrade' && request.gate
        ? await this.#resolveCanaryGate(request, detection)
        : undefined;
    let plan: Plan;
    try {
      plan = await adapter.plan(request, {
        cluster,
        detection,
        previousDetection,
        now: new Date().toISOString(),
        secrets,
        ...(canaryGate ? { canaryGate } : {}),
      });
    } catch (error) {
      // The adapter refuses what cannot be planned (nothing to roll back, not installed ...).
      throw new InputError((error as Error).message);
    }
    if (canaryGate && !plan.steps.some(s => s.type === 'gate')) {
      throw new InputError(
        `Invalid body field 'gate': ${adapter.displayName} does not support performance-gated canary upgrades`,
      );
    }
    return { plan, detection };
  }

  async #resolveCanaryGate(
    request: UpgradeRequest,
    detection: MeshDetection,
  ): Promise<ResolvedCanaryGate> {
    const { resolveCanaryGate } = this.options;
    if (!resolveCanaryGate) {
      throw new InputError(
        "Invalid body field 'gate': this backend runs no benchmarks",
      );
    }
    return resolveCanaryGate(request, detection);
  }

  /** The plan and its diff against the live objects. Reads only. */
  async preview(request: LifecycleRequest): Promise<PlanPreview> {
    const { plan } = await this.plan(request);
    return { plan, diff: await this.#diff(request.cluster, plan) };
  }

  /** Plans, records and starts an operation; 409 when one is in progress on the cluster and mesh. */
  async start(
    request: LifecycleRequest,
    createdBy: string,
    /** Set when the backend starts it by itself (automatic onboarding). */
    options: { cause?: OperationCause } = {},
  ): Promise<Operation> {
    const { store, runner } = this.options;
    // Fail fast, before planning; the lock row inserted with the operation decides races.
    if (await store.lockHolder(request.cluster, request.mesh)) {
      throw await store.conflictError(request.cluster, request.mesh);
    }
    // Private keys the plan refers to live only here, in this process, for this one run.
    const secrets = new MemoryPlanSecrets();
    const { plan, detection } = await this.plan(request, secrets);
    const created = await store.create({
      request,
      plan,
      createdBy,
      previousDetection: detection,
      owner: runner.instanceId,
      cause: options.cause,
    });
    const operation = await store.beginRun(created.id, {
      from: ['planned'],
      to: 'running',
      owner: runner.instanceId,
      currentStep: 0,
    });
    runner.run(operation, secrets);
    return operation;
  }

  /** The steps a resume would run (from the interrupted or failed step on). */
  async previewResume(id: string): Promise<OperationPlanPreview> {
    const operation = await this.#requireIn(id, RESUMABLE, 'resumed');
    const from = operation.currentStep ?? 0;
    const plan: Plan = {
      ...operation.plan,
      summary: `Resume from step ${from + 1}: ${operation.summary}`,
      steps: operation.plan.steps.slice(from),
    };
    return {
      operation,
      plan,
      diff: await this.#diff(operation.cluster, plan),
    };
  }

  /** Re-runs an interrupted or failed operation from the step that did not finish. */
  async resume(id: string): Promise<Operation> {
    const { store, runner } = this.options;
    await this.#requireIn(id, RESUMABLE, 'resumed');
    const operation = await store.beginRun(id, {
      from: RESUMABLE,
      to: 'running',
      owner: runner.instanceId,
    });
    await store.appendLog(id, {
      level: 'info',
      message: `Resume requested`,
    });
    runner.run(operation);
    return operation;
  }

  /** What a revert would do, computed from the recorded prior states and the live objects. */
  async previewRevert(id: string): Promise<OperationPlanPreview> {
    const operation = await this.#requireIn(id, REVERTIBLE, 'reverted');
    const plan = await buildRevertPlan(
      this.options.store,
      this.#writer(operation.cluster),
      operation,
    );
    return { operation, plan, diff: renderPlanDiff(plan) };
  }

  /**
   * Undoes what an interrupted or failed operation changed, newest change first. The run forgets
   * the step the operation stopped at: once a revert has begun, the steps before that may be
   * undone too, so an operation interrupted while reverting resumes from its first step (every
   * step is idempotent) instead of leaving those undone.
   */
  async revert(id: string): Promise<Operation> {
    const { store, runner } = this.options;
    await this.#requireIn(id, REVERTIBLE, 'reverted');
    const operation = await store.beginRun(id, {
      from: REVERTIBLE,
      to: 'reverting',
      owner: runner.instanceId,
      currentStep: null,
    });
    await store.appendLog(id, { level: 'info', message: `Revert requested` });
    runner.revert(operation);
    return operation;
  }

  /**
   * Marks operations whose backend process stopped heartbeating as `interrupted` (they keep the
   * lock until resumed or reverted). Run at plugin start and periodically.
   */
  async sweepInterrupted(): Promise<Operation[]> {
    const { store, runner, logger, interruptAfterMs } = this.options;
    const now = this.options.now ?? (() => new Date());
    const before = new Date(now().getTime() - interruptAfterMs).toISOString();
    const interrupted = await store.interruptStale({
      before,
      runningHere: runner.activeIds(),
    });
    for (const op of interrupted) {
      logger.warn(`Operation ${op.id} (${op.summary}): ${op.error}`);
    }
    return interrupted;
  }

  async #requireIn(
    id: string,
    states: readonly OperationState[],
    verb: string,
  ): Promise<Operation> {
    const operation = await this.options.store.require(id);
    if (!states.includes(operation.state)) {
      throw new ConflictError(
        `Operation ${id} is ${operation.state}; only ${states.join(
          ', ',
        )} operations can be ${verb}`,
      );
    }
    return operation;
  }

  /**
   * The detection recorded before the operation a rollback undoes: the one named, else the
   * latest succeeded upgrade on the cluster and mesh.
   */
  async #rollbackBaseline(
    request: Extract<LifecycleRequest, { action: 'rollback' }>,
  ): Promise<MeshDetection | undefined> {
    const { store } = this.options;
    if (request.operationId) {
      const target = await store.get(request.operationId);
      if (
        !target ||
        target.cluster !== request.cluster ||
        target.mesh !== request.mesh
      ) {
        throw new InputError(
          `Invalid body field 'operationId': no operation ${request.operationId} of mesh '${request.mesh}' on cluster '${request.cluster}'`,
        );
      }
      return target.previousDetection;
    }
    const [latest] = await store.list({
      cluster: request.cluster,
      mesh: request.mesh,
      action: 'upgrade',
      state: 'succeeded',
      limit: 1,
    });
    return latest?.previousDetection;
  }

  #writer(cluster: string): ClusterWriter {
    const writer = this.options.clusters.writer(cluster);
    if (!writer) throw new InputError(`Unknown cluster '${cluster}'`);
    return writer;
  }

  /** The dry-run text, with apply steps compared against the live objects (reads only). */
  async #diff(cluster: string, plan: Plan): Promise<string> {
    const writer = this.#writer(cluster);
    const live = new Map<string, PlanObject | undefined>();
    for (const step of plan.steps) {
      if (step.type !== 'apply') continue;
      const ref = objectRef(step.object);
      const key = objectKey(ref);
      if (!live.has(key)) {
        live.set(key, (await writer.get(ref)) as PlanObject | undefined);
      }
    }
    return renderPlanDiff(plan, {
      existing: (ref: ObjectRef) => live.get(objectKey(ref)),
    });
  }
}
