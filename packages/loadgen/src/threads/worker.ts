/**
 * Entry point of a load worker thread: waits for the common start time,
 * runs its share and posts the result back.
 *
 * @packageDocumentation
 */
import { parentPort, workerData } from 'node:worker_threads';
import { runShare } from '../run';
import type { WorkerCommand, WorkerData, WorkerMessage } from './pool';

/** Runs the share given in `workerData`; called by the worker bootstrap. */
export function runLoadWorker(): void {
  const port = parentPort;
  if (!port) throw new Error('runLoadWorker must run in a worker thread');
  const { options, share } = workerData as WorkerData;
  const abort = new AbortController();
  const post = (m: WorkerMessage) => port.postMessage(m);
  let startAt: (epochMs: number) => void = () => undefined;
  const started = new Promise<number>(resolve => (startAt = resolve));
  port.on('message', (cmd: WorkerCommand) => {
    if (cmd.type === 'abort') abort.abort();
    else if (cmd.type === 'start') startAt(cmd.startAtEpochMs);
  });
  runShare(options, share, {
    signal: abort.signal,
    // Connections are open: report ready and wait for the common start.
    waitForStart: () => {
      post({ type: 'ready' });
      return started;
    },
    onProgress: progress => post({ type: 'progress', progress }),
  }).then(
    result => {
      post({ type: 'result', result });
      port.close();
    },
    err => {
      post({
        type: 'error',
        message: err instanceof Error ? err.message : String(err),
      });
      port.close();
    },
  );
}
