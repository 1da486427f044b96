import type express from 'express';
import type { OperationStore } from './OperationStore';
import { ACTIVE_STATES } from './types';
import { openEventStream } from '../service/eventStream';

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

/**
 * Streams an operation's log as Server-Sent Events: every line so far (`event: log`, `id` the
 * line's sequence number, so a reconnecting client's `Last-Event-ID` skips what it has), then new
 * lines as they are written, then one `event: state` with the final state, and closes. Reads the
 * database, not this process's memory, so it follows runs of any backend instance.
 */
export async function streamOperationEvents(
  store: OperationStore,
  id: string,
  req: express.Request,
  res: express.Response,
  pollIntervalMs: number,
): Promise<void> {
  let after = Number(req.header('last-event-id') ?? 0) || 0;
  let closed = false;
  req.on('close', () => {
    closed = true;
  });
  const stream = openEventStream(res);

  try {
    while (!closed) {
      // State first, then the log: a run writes its last line before its final state, so once a
      // final state is seen the log read after it is complete.
      const operation = await store.require(id);
      for (const entry of await store.listLog(id, after)) {
        stream.send('log', entry, entry.seq);
        after = entry.seq;
      }
      if (!ACTIVE_STATES.includes(operation.state)) {
        stream.send('state', {
          state: operation.state,
          ...(operation.error && { error: operation.error }),
          ...(operation.currentStep !== undefined && {
            currentStep: operation.currentStep,
          }),
        });
        break;
      }
      await sleep(pollIntervalMs);
    }
  } catch (error) {
    // Headers are sent: the error can only go into the stream.
    stream.send('error', { message: (error as Error).message });
  }
  stream.end();
}
