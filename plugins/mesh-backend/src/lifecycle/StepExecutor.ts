import type {
  ObjectRef,
  PlanStep,
  WaitStep,
} from '@meshstage/plugin-mesh-common';
import { formatObjectRef, objectRef } from '@meshstage/plugin-mesh-common';
import type { KubeObject, PlanSecrets } from '@meshstage/plugin-mesh-node';
import { materializeSecrets } from '@meshstage/plugin-mesh-node';
import type { ClusterWriter } from '../cluster';
import { checkCondition } from './waitConditions';

/** Hooks a forward run uses to remember what a step changes; a revert run passes none. */
export interface StepRecorder {
  /** Called with the live object (or `undefined`) before a step changes it. */
  prior(ref: ObjectRef, live: KubeObject | undefined): Promise<void>;
  /** Called after an apply step succeeded. */
  applied?(step: Extract<PlanStep, { type: 'apply' }>): Promise<void>;
  /** Called after a delete step succeeded. */
  deleted?(ref: ObjectRef): Promise<void>;
}

/** Thrown when a run is abandoned because the backend is shutting down. */
export class RunAbandonedError extends Error {
  constructor() {
    super('the backend is shutting down');
    this.name = 'RunAbandonedError';
  }
}

/** Waits `ms`, or rejects with {@link RunAbandonedError} as soon as the run is abandoned. */
export const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal.aborted) {
      reject(new RunAbandonedError());
      return;
    }
    let timer: ReturnType<typeof setTimeout> | undefined = undefined;
    const onAbort = () => {
      clearTimeout(timer);
      reject(new RunAbandonedError());
    };
    timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });

/**
 * Executes single plan steps against a cluster: apply (server-side apply under field manager
 * `meshstage`), patch (JSON merge patch), delete (absent counts as deleted) and wait (polls the
 * condition until the step's timeout). Every step is idempotent, so a resumed operation can
 * re-run the step that was interrupted. Resolves with a short outcome for the log.
 */
export class StepExecutor {
  constructor(
    private readonly options: {
      /** How often a wait step reads the object. */
      pollIntervalMs: number;
    },
  ) {}

  async run(
    writer: ClusterWriter,
    step: PlanStep,
    signal: AbortSignal,
    recorder?: StepRecorder,
    /** Fills in a Secret's `<redacted>` values (else the live values are kept). */
    secrets?: PlanSecrets,
  ): Promise<string> {
    if (signal.aborted) throw new RunAbandonedError();
    switch (step.type) {
      case 'apply': {
        const ref = objectRef(step.object);
        const live = await writer.get(ref);
        await recorder?.prior(ref, live);
        const result = await writer.apply(
          materializeSecrets(step.object, secrets, live),
        );
        await recorder?.applied?.(step);
        if (!live) return 'created';
        return live.metadata.resourceVersion === result.metadata.resourceVersion
          ? 'unchanged'
          : 'configured';
      }
      case 'patch': {
        const live = await writer.get(step.target);
        if (!live) {
          throw new Error(`${formatObjectRef(step.target)} does not exist`);
        }
        await recorder?.prior(step.target, live);
        const result = await writer.patch(step.target, step.patch, 'merge');
        return live.metadata.resourceVersion === result.metadata.resourceVersion
          ? 'unchanged'
          : 'patched';
      }
      case 'delete': {
        const live = await writer.get(step.target);
        await recorder?.prior(step.target, live);
        const deleted = live
          ? await writer.delete(step.target, {
              propagationPolicy: 'Background',
            })
          : false;
        await recorder?.deleted?.(step.target);
        return deleted ? 'deleted' : 'already absent';
      }
      case 'wait':
        return this.#wait(writer, step, signal);
      default:
        throw new Error(
          `Unknown step type '${(step as { type: string }).type}'`,
        );
    }
  }

  async #wait(
    writer: ClusterWriter,
    step: WaitStep,
    signal: AbortSignal,
  ): Promise<string> {
    const started = Date.now();
    const deadline = started + step.timeoutSeconds * 1000;
    let last = 'not read yet';
    for (;;) {
      try {
        const check = checkCondition(
          await writer.get(step.target),
          step.condition,
        );
        last = check.observed;
        if (check.reached) {
          return `${step.condition} after ${(
            (Date.now() - started) /
            1000
          ).toFixed(1)} s (${check.observed})`;
        }
      } catch (error) {
        // A transient read failure is not the end of a wait; remember it for the timeout message.
        last = `read failed: ${(error as Error).message}`;
      }
      if (Date.now() >= deadline) {
        throw new Error(
          `${formatObjectRef(step.target)} was not ${step.condition} within ${
            step.timeoutSeconds
          } s; last seen: ${last}`,
        );
      }
      await sleep(
        Math.min(
          this.options.pollIntervalMs,
          Math.max(0, deadline - Date.now()),
        ),
        signal,
      );
    }
  }
}
