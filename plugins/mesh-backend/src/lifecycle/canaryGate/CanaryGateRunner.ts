import type { AuditorService } from '@backstage/backend-plugin-api';
import type {
  BenchmarkStep,
  GateStep,
  PlanStep,
} from '@meshstage/plugin-mesh-common';
import { isFinalRunState } from '@meshstage/plugin-mesh-common';
import type { BenchmarkService } from '../../benchmark/BenchmarkService';
import type { BenchmarkStore } from '../../benchmark/BenchmarkStore';
import type { CompareOptions } from '../../benchmark/compare';
import type { BenchmarkResult } from '../../benchmark/types';
import { RunAbandonedError, sleep } from '../StepExecutor';
import type { Operation } from '../types';
import { decidePromotion } from './decidePromotion';
import type { GateRunStore } from './GateRunStore';

/**
 * A canary gate that did not promote: the namespace went back to the stable revision (or trying
 * to failed, which the message says) and the operation stops. A resume starts again at
 * `resumeFrom`, the baseline benchmark, so the gate measures afresh.
 */
export class CanaryGateFailedError extends Error {
  constructor(message: string, readonly resumeFrom: number) {
    super(message);
    this.name = 'CanaryGateFailedError';
  }
}

/** What a benchmark or gate step needs from the run executing it. */
export interface GateStepContext {
  operation: Operation;
  /** The step's index in the plan. */
  index: number;
  steps: readonly PlanStep[];
  signal: AbortSignal;
  log(level: 'info' | 'warn' | 'error', message: string): Promise<unknown>;
  /** Executes steps against the cluster in order (the gate's rollback), logging each. */
  runSteps(steps: readonly PlanStep[]): Promise<void>;
}

/** What a {@link CanaryGateRunner} needs. */
export interface CanaryGateRunnerOptions {
  benchmarks: BenchmarkService;
  store: BenchmarkStore;
  runs: GateRunStore;
  auditor?: AuditorService;
  /** How often a benchmark step reads its run's state. */
  pollIntervalMs: number;
  /** Tuning of the noise test the gate decides with. */
  noise?: CompareOptions;
}

/** `run <id>: 1200 requests, p99 3.2 ms, error rate 0` */
function describeResult(runId: string, stored: BenchmarkResult): string {
  const r = stored.result;
  return `run ${runId}: ${r.requests.total} requests, p99 ${r.latencyMs.p99} ms, error rate ${r.requests.errorRate}`;
}

/**
 * Executes the benchmark and gate steps of canary upgrades. A benchmark step queues its profile
 * through the benchmark service (so the run is stored, limited and listed like any other,
 * triggered by `operation`), records the run with the step and waits for it. A gate step
 * compares the runs of the benchmark steps before it with {@link decidePromotion}; when that
 * refuses, it executes the step's rollback and ends the run with a
 * {@link CanaryGateFailedError} saying why. Each decision is audited.
 */
export class CanaryGateRunner {
  constructor(private readonly options: CanaryGateRunnerOptions) {}

  async benchmark(step: BenchmarkStep, ctx: GateStepContext): Promise<string> {
    const { benchmarks, store, runs, pollIntervalMs } = this.options;
    const op = ctx.operation;
    const queued = await benchmarks.enqueue({
      profileId: step.profileId,
      entityRef: step.profile.entityRef,
      profile: step.profile,
      trigger: 'operation',
      createdBy: op.createdBy,
      mesh: op.mesh,
      meshVersion: step.version,
      cluster: op.cluster,
    });
    await runs.record(op.id, ctx.index, queued.id);
    await ctx.log(
      'info',
      `Benchmark run ${queued.id} queued (${step.role}, revision ${step.revision}); its result: GET /api/mesh/benchmark/results/${queued.id}`,
    );
    for (;;) {
      const run = await store.getRun(queued.id);
      if (!run) throw new Error(`benchmark run ${queued.id} disappeared`);
      if (isFinalRunState(run.state)) {
        if (run.state !== 'succeeded') {
          throw new Error(
            `benchmark run ${run.id} ${run.state}${
              run.error ? `: ${run.error}` : ''
            }`,
          );
        }
        const stored = await store.getResult(run.id);
        if (!stored) throw new Error(`benchmark run ${run.id} has no result`);
        return describeResult(run.id, stored);
      }
      await sleep(pollIntervalMs, ctx.signal);
    }
  }

  async gate(step: GateStep, ctx: GateStepContext): Promise<string> {
    const op = ctx.operation;
    const baselineStep = this.#benchmarkStepBefore(ctx, step, 'baseline');
    const candidateStep = this.#benchmarkStepBefore(ctx, step, 'candidate');
    const [baseline, candidate] = await Promise.all([
      this.#resultOf(op.id, baselineStep, 'baseline'),
      this.#resultOf(op.id, candidateStep, 'candidate'),
    ]);
    const decision = decidePromotion(
      baseline.stored.result,
      candidate.stored.result,
      step.budget,
      this.options.noise,
    );
    const simulated =
      baseline.stored.environment.simulatedProxies ??
      candidate.stored.environment.simulatedProxies;
    const caveat = simulated
      ? ` (the mesh proxies of cluster ${simulated.cluster} are simulated: the difference is the simulator's, not mesh overhead)`
      : '';
    const runIds = `baseline run ${baseline.runId}, candidate run ${candidate.runId}`;
    const audit = await this.options.auditor?.createEvent({
      eventId: 'mesh-operation-canary-gate',
      severityLevel: decision.promote ? 'low' : 'medium',
      meta: {
        operationId: op.id,
        cluster: op.cluster,
        mesh: op.mesh,
        namespace: step.namespace,
        candidateRevision: step.candidate.revision,
        stableRevision: step.stable.revision,
        baselineRunId: baseline.runId,
        candidateRunId: candidate.runId,
        promote: decision.promote,
        reason: decision.reason,
      },
    });
    if (decision.promote) {
      await ctx.log(
        'info',
        `Canary gate passed: ${decision.reason}; ${runIds}${caveat}`,
      );
      await audit?.success();
      return `promote revision ${step.candidate.revision}`;
    }
    await ctx.log(
      'error',
      `Canary gate failed: ${decision.reason}; ${runIds}${caveat}. Moving namespace ${step.namespace} back to revision ${step.stable.revision}`,
    );
    try {
      await ctx.runSteps(step.rollback);
    } catch (error) {
      if (error instanceof RunAbandonedError) throw error;
      await audit?.fail({ error: error as Error });
      throw new CanaryGateFailedError(
        `canary gate: ${decision.reason}; moving namespace ${
          step.namespace
        } back to ${step.stable.revision} failed: ${(error as Error).message}`,
        ctx.index,
      );
    }
    await audit?.success();
    throw new CanaryGateFailedError(
      `canary gate: ${decision.reason}; namespace ${step.namespace} moved back to ${step.stable.revision}`,
      baselineStep,
    );
  }

  /** The nearest benchmark step of `role` on the gate's namespace before the gate. */
  #benchmarkStepBefore(
    ctx: GateStepContext,
    gate: GateStep,
    role: BenchmarkStep['role'],
  ): number {
    for (let i = ctx.index - 1; i >= 0; i--) {
      const s = ctx.steps[i];
      if (
        s.type === 'benchmark' &&
        s.role === role &&
        s.namespace === gate.namespace
      ) {
        return i;
      }
    }
    throw new Error(`the plan has no ${role} benchmark before the gate`);
  }

  async #resultOf(operationId: string, step: number, role: string) {
    const runId = await this.options.runs.runOf(operationId, step);
    if (!runId) {
      throw new Error(
        `no ${role} benchmark run is recorded (step ${step + 1})`,
      );
    }
    const stored = await this.options.store.getResult(runId);
    if (!stored) {
      throw new Error(`the ${role} benchmark run ${runId} has no result`);
    }
    return { runId, stored };
  }
}
