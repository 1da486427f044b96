import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  type BenchmarkRunView,
  isFinalRunState,
} from '@meshstage/plugin-mesh-common';
import type { MeshApiClient } from './MeshApiClient';
import { sleep } from './sleep';

/** How {@link waitForBenchmarkRun} waits. */
export interface WaitForBenchmarkRunOptions {
  logger: LoggerService;
  /** Cancel the run and fail after this long. */
  timeoutMs: number;
  pollIntervalMs: number;
  signal?: AbortSignal;
}

/**
 * Polls `GET /benchmark/runs/:id` until the run is final, logging its state changes. A run still
 * going at the timeout, or when the task is cancelled, is cancelled in the backend: load left
 * running with nobody waiting for it would only disturb the service.
 */
export async function waitForBenchmarkRun(
  client: MeshApiClient,
  id: string,
  options: WaitForBenchmarkRunOptions,
): Promise<BenchmarkRunView> {
  const deadline = Date.now() + options.timeoutMs;
  let lastState: string | undefined;
  try {
    for (;;) {
      const run = await client.getRun(id);
      if (run.state !== lastState) {
        lastState = run.state;
        options.logger.info(`Benchmark run ${id}: ${run.state}`);
      }
      if (isFinalRunState(run.state)) return run;
      if (Date.now() > deadline) {
        throw new Error(
          `Benchmark run ${id} did not finish within ${Math.round(
            options.timeoutMs / 1000,
          )} s; it was cancelled`,
        );
      }
      await sleep(options.pollIntervalMs, options.signal);
    }
  } catch (error) {
    if (lastState && !isFinalRunState(lastState as BenchmarkRunView['state'])) {
      // Best effort: the cancel must not hide why we stopped waiting.
      await client.cancelRun(id).catch(() => undefined);
    }
    throw error;
  }
}
