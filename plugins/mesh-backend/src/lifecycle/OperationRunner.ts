import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Plan, PlanStep } from '@meshstage/plugin-mesh-common';
import type { PlanSecrets } from '@meshstage/plugin-mesh-node';
import { redactPrivateKeys } from '@meshstage/plugin-mesh-node';
import { type ClusterWriter, collectRetries } from '../cluster';
import { buildRevertPlan } from './buildRevertPlan';
import { describeRetries } from './describeRetries';
import {
  CanaryGateFailedError,
  type CanaryGateRunner,
} from './canaryGate/CanaryGateRunner';
import type { OperationStore } from './OperationStore';
import { RunAbandonedError, StepExecutor } from './StepExecutor';
import type { Operation } from './types';

/** What an {@link OperationRunner} needs. */
export interface OperationRunnerOptions {
  store: OperationStore;
  /** The write access to a cluster by name. */
  writer: (cluster: string) => ClusterWriter | undefined;
  logger: LoggerService;
  /** This backend process's id, recorded as the owner of the operations it runs. */
  instanceId: string;
  /** How often running operations' heartbeats are refreshed. */
  heartbeatIntervalMs: number;
  /** How often wait steps poll the cluster. */
  pollIntervalMs: number;
  /** Executes benchmark and gate steps (canary gates); absent when benchmarks are unavailable. */
  gate?: CanaryGateRunner;
}

interface ActiveRun {
  controller: AbortController;
  done: Promise<void>;
}

const errorMessage = (error: unknown) =>
  error instanceof Error ? error.message : String(error);

/**
 * Executes operations in the background of this backend process, one run per operation: the
 * steps of its plan in order (a forward run, possibly resumed from a step), or the undoing of
 * its recorded changes (a revert run). Every step start and end goes to the operation's log; the
 * outcome becomes its state, and the lock is released except when the process stops mid-run
 * (then the row stays `running` until another instance marks it `interrupted`).
 */
export class OperationRunner {
  readonly #options: OperationRunnerOptions;
  readonly #executor: StepExecutor;
  readonly #active = new Map<string, ActiveRun>();
  #heartbeat?: ReturnType<typeof setInterval>;
  #stopped = false;

  constructor(options: OperationRunnerOptions) {
    this.#options = options;
    this.#executor = new StepExecutor({
      pollIntervalMs: options.pollIntervalMs,
    });
  }

  get instanceId(): string {
    return this.#options.instanceId;
  }

  /**
   * Starts a forward run of an operation already moved to `running` by the store. `secrets`:
   * the private values its plan shows as `<redacted>` (kept in memory for this run only; a
   * resumed run has none and keeps what the cluster holds).
   */
  run(operation: Operation, secrets?: PlanSecrets): void {
    this.#start(operation, signal => this.#forward(operation, signal, secrets));
  }

  /** Starts a revert run of an operation already moved to `reverting` by the store. */
  revert(operation: Operation): void {
    this.#start(operation, signal => this.#revert(operation, signal));
  }

  /** The operations this process is running now. */
  activeIds(): string[] {
    return [...this.#active.keys()];
  }

  /** Resolves when the operation's run in this process (if any) has ended. */
  async whenDone(id: string): Promise<void> {
    await this.#active.get(id)?.done;
  }

  /**
   * Stops heartbeats and abandons runs in progress without touching their rows, as a process
   * exit would: another instance later marks them `interrupted`.
   */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#heartbeat) clearInterval(this.#heartbeat);
    this.#heartbeat = undefined;
    const runs = [...this.#active.values()];
    for (const run of runs) run.controller.abort();
    await Promise.all(runs.map(r => r.done));
  }

  #start(
    operation: Operation,
    body: (signal: AbortSignal) => Promise<void>,
  ): void {
    if (this.#stopped) return;
    const controller = new AbortController();
    const done = body(controller.signal)
      .catch(error => {
        if (error instanceof RunAbandonedError) return;
        this.#options.logger.error(
          `Operation ${operation.id} run failed unexpectedly: ${errorMessage(
            error,
          )}`,
        );
      })
      .finally(() => {
        this.#active.delete(operation.id);
      });
    this.#active.set(operation.id, { controller, done });
    this.#ensureHeartbeat();
  }

  #ensureHeartbeat() {
    if (this.#heartbeat) return;
    const { store, instanceId, heartbeatIntervalMs, logger } = this.#options;
    this.#heartbeat = setInterval(() => {
      store.heartbeat([...this.#active.keys()], instanceId).catch(error => {
        logger.warn(`Operation heartbeat failed: ${errorMessage(error)}`);
      });
    }, heartbeatIntervalMs);
    this.#heartbeat.unref?.();
  }

  #log(
    id: string,
    level: 'info' | 'warn' | 'error',
    message: string,
    step?: number,
  ) {
    return this.#options.store.appendLog(id, { level, message, step });
  }

  async #forward(
    op: Operation,
    signal: AbortSignal,
    secrets?: PlanSecrets,
  ): Promise<void> {
    const { store, instanceId } = this.#options;
    const steps = op.plan.steps;
    const from = op.currentStep ?? 0;
    await this.#log(
      op.id,
      'info',
      `Run ${op.run} on backend instance ${instanceId}: ${op.summary} (${
        steps.length
      } steps${from > 0 ? `, resuming at step ${from + 1}` : ''})`,
    );
    const writer = this.#options.writer(op.cluster);
    let index = from;
    try {
      if (!writer) throw new Error(`Unknown cluster '${op.cluster}'`);
      for (; index < steps.length; index++) {
        await store.setCurrentStep(op.id, index);
        await this.#step(
          op.id,
          index,
          steps,
          writer,
          signal,
          true,
          op,
          secrets,
        );
      }
      if (op.request.action === 'uninstall' && !op.request.revision) {
        // The whole mesh is gone from the cluster: nothing of it is desired any more.
        await store.removeAppliedOf({ cluster: op.cluster, mesh: op.mesh });
      }
      await this.#log(op.id, 'info', `Succeeded: ${op.summary}`);
      await store.finish(op.id, 'succeeded', { releaseLock: true });
    } catch (error) {
      if (error instanceof RunAbandonedError || this.#stopped) {
        throw new RunAbandonedError();
      }
      if (error instanceof CanaryGateFailedError) {
        // The gate's reason is the operation's error as it is; a resume measures again.
        await this.#log(op.id, 'error', error.message, index);
        await store.setCurrentStep(op.id, error.resumeFrom);
        await store.finish(op.id, 'failed', {
          error: error.message,
          releaseLock: true,
        });
        return;
      }
      const step = steps[index];
      const message = step
        ? `Step ${index + 1} (${step.description}) failed: ${errorMessage(
            error,
          )}`
        : errorMessage(error);
      await this.#log(op.id, 'error', message, step ? index : undefined);
      await store.finish(op.id, 'failed', {
        error: message,
        releaseLock: true,
      });
    }
  }

  async #revert(op: Operation, signal: AbortSignal): Promise<void> {
    const { store, instanceId } = this.#options;
    const writer = this.#options.writer(op.cluster);
    let plan: Plan | undefined;
    let index = 0;
    try {
      if (!writer) throw new Error(`Unknown cluster '${op.cluster}'`);
      plan = await buildRevertPlan(store, writer, op);
      await this.#log(
        op.id,
        'info',
        `Run ${op.run} on backend instance ${instanceId}: reverting (${plan.steps.length} steps)`,
      );
      for (; index < plan.steps.length; index++) {
        await this.#step(op.id, index, plan.steps, writer, signal, false, op);
      }
      await store.removeAppliedOf({ operationId: op.id });
      await this.#log(op.id, 'info', `Reverted: ${op.summary}`);
      await store.finish(op.id, 'reverted', { releaseLock: true });
    } catch (error) {
      if (error instanceof RunAbandonedError || this.#stopped) {
        throw new RunAbandonedError();
      }
      const step = plan?.steps[index];
      const message = step
        ? `Revert step ${index + 1} (${
            step.description
          }) failed: ${errorMessage(error)}`
        : `Revert failed: ${errorMessage(error)}`;
      await this.#log(op.id, 'error', message);
      await store.finish(op.id, 'revert-failed', {
        error: message,
        releaseLock: true,
      });
    }
  }

  async #step(
    id: string,
    index: number,
    steps: PlanStep[],
    writer: ClusterWriter,
    signal: AbortSignal,
    forward: boolean,
    op: Operation,
    secrets?: PlanSecrets,
  ): Promise<void> {
    const { store } = this.#options;
    const step = steps[index];
    const label = `${forward ? 'Step' : 'Revert step'} ${index + 1}/${
      steps.length
    }`;
    const logStep = forward ? index : undefined;
    await this.#log(id, 'info', `${label}: ${step.description}`, logStep);
    const started = Date.now();
    // The step's cluster requests that needed retries, so its line tells a flaky cluster apart.
    const { value: outcome, retried } = await collectRetries(() =>
      step.type === 'benchmark' || step.type === 'gate'
        ? this.#gateStep(op, index, steps, step, writer, signal)
        : this.#executor.run(
            writer,
            step,
            signal,
            forward
              ? {
                  // Stored states never hold private keys (a revert leaves such values as they are).
                  prior: (ref, live) =>
                    store.recordPriorState(
                      id,
                      index,
                      ref,
                      redactPrivateKeys(live),
                    ),
                  applied: s =>
                    store.recordApplied(op.cluster, op.mesh, id, s.object),
                  deleted: ref => store.removeApplied(op.cluster, op.mesh, ref),
                }
              : undefined,
            secrets,
          ),
    );
    if (signal.aborted) throw new RunAbandonedError();
    const retries = describeRetries(retried);
    await this.#log(
      id,
      'info',
      `${label} done: ${outcome} (${Date.now() - started} ms)${
        retries ? `; ${retries}` : ''
      }`,
      logStep,
    );
  }

  /** A canary gate's benchmark or decision step, through the gate runner. */
  async #gateStep(
    op: Operation,
    index: number,
    steps: PlanStep[],
    step: Extract<PlanStep, { type: 'benchmark' | 'gate' }>,
    writer: ClusterWriter,
    signal: AbortSignal,
  ): Promise<string> {
    const { gate } = this.#options;
    if (!gate) {
      throw new Error(
        'this backend runs no benchmarks (the benchmark feature is missing)',
      );
    }
    const ctx = {
      operation: op,
      index,
      steps,
      signal,
      log: (level: 'info' | 'warn' | 'error', message: string) =>
        this.#log(op.id, level, message, index),
      // The rollback's writes are not recorded as prior states: they restore what the steps
      // before recorded, so a later revert still returns everything to its state before.
      runSteps: async (rollback: readonly PlanStep[]) => {
        for (const [i, s] of rollback.entries()) {
          const label = `Gate rollback ${i + 1}/${rollback.length}`;
          await this.#log(op.id, 'info', `${label}: ${s.description}`, index);
          const outcome = await this.#executor.run(writer, s, signal);
          await this.#log(op.id, 'info', `${label} done: ${outcome}`, index);
        }
      },
    };
    return step.type === 'benchmark'
      ? gate.benchmark(step, ctx)
      : gate.gate(step, ctx);
  }
}
