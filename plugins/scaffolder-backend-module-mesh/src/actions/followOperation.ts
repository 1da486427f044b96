import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Operation } from '@meshstage/plugin-mesh-common';
import type { MeshApiClient } from '../api/MeshApiClient';
import { waitForOperation } from '../api/waitForOperation';
import { DEFAULT_TIMEOUT_SECONDS } from './options';

/**
 * Waits for an operation an action started, reports its final state through `onState`, and fails
 * the step unless it succeeded, with the operation's own reason and id.
 */
export async function followOperation(
  client: MeshApiClient,
  operationId: string,
  options: {
    logger: LoggerService;
    signal?: AbortSignal;
    timeoutSeconds?: number;
    pollIntervalMs?: number;
    onState(state: Operation['state']): void;
  },
): Promise<Operation> {
  const operation = await waitForOperation(client, operationId, {
    logger: options.logger,
    timeoutMs: (options.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS) * 1000,
    pollIntervalMs: options.pollIntervalMs ?? 1000,
    signal: options.signal,
  });
  options.onState(operation.state);
  if (operation.state !== 'succeeded') {
    throw new Error(
      `${operation.summary}: ${operation.state}${
        operation.error ? `: ${operation.error}` : ''
      } (operation ${operation.id})`,
    );
  }
  options.logger.info(`${operation.summary}: succeeded`);
  return operation;
}
