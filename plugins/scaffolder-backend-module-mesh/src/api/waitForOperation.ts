import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  FINAL_OPERATION_STATES,
  type Operation,
} from '@meshstage/plugin-mesh-common';
import type { MeshApiClient } from './MeshApiClient';
import { sleep } from './sleep';

/** How {@link waitForOperation} waits. */
export interface WaitForOperationOptions {
  /** Where the operation's step log goes, line by line as the backend writes it. */
  logger: LoggerService;
  /** Give up waiting after this long (the operation goes on in the backend). */
  timeoutMs: number;
  pollIntervalMs: number;
  signal?: AbortSignal;
}

/**
 * Polls `GET /operations/:id` until the operation reaches a final state, passing each new line of
 * its step log to the logger, so the scaffolder's log shows the operation's progress. Polling
 * rather than the SSE stream: each poll is a short request with a fresh token, and any backend
 * instance answers it.
 */
export async function waitForOperation(
  client: MeshApiClient,
  id: string,
  options: WaitForOperationOptions,
): Promise<Operation> {
  const deadline = Date.now() + options.timeoutMs;
  let lastSeq = 0;
  for (;;) {
    const { operation, log } = await client.getOperation(id);
    for (const line of log) {
      if (line.seq <= lastSeq) continue;
      lastSeq = line.seq;
      const text = `[operation ${id.slice(0, 8)}] ${line.message}`;
      if (line.level === 'error') options.logger.error(text);
      else if (line.level === 'warn') options.logger.warn(text);
      else options.logger.info(text);
    }
    if (FINAL_OPERATION_STATES.includes(operation.state)) return operation;
    if (Date.now() > deadline) {
      throw new Error(
        `Operation ${id} (${operation.summary}) is still ${
          operation.state
        } after ${Math.round(
          options.timeoutMs / 1000,
        )} s; it goes on in the mesh backend: follow it on the Service mesh page, Operations`,
      );
    }
    await sleep(options.pollIntervalMs, options.signal);
  }
}
