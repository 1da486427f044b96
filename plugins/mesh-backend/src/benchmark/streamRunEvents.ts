import type express from 'express';
import { openEventStream } from '../service/eventStream';
import type { BenchmarkService, RunEvent } from './BenchmarkService';
import type { BenchmarkStore } from './BenchmarkStore';
import { summarizeResult } from './resultView';
import { maskRunSecrets } from './secretHeaders';
import { type BenchmarkRun, isFinalState } from './types';

/**
 * Streams a run as Server-Sent Events: `state` now and on every change, `progress` once a second
 * while it runs in this process, then `result` and the final `state`, and closes. Runs executing
 * on (or finished by) another backend instance are followed through the database.
 */
export async function streamRunEvents(options: {
  id: string;
  req: express.Request;
  res: express.Response;
  service: BenchmarkService;
  store: BenchmarkStore;
}): Promise<void> {
  const { id, req, res, service, store } = options;
  const stream = openEventStream(res);

  let closed = false;
  const timers: { poll?: NodeJS.Timeout; ping?: NodeJS.Timeout } = {};
  let unsubscribe = () => {};
  const cleanup = () => {
    clearInterval(timers.poll);
    clearInterval(timers.ping);
    unsubscribe();
  };
  const send = (event: string, data: unknown) => {
    if (!closed) stream.send(event, data);
  };
  const sendState = (run: BenchmarkRun) => send('state', maskRunSecrets(run));
  const finish = async (run: BenchmarkRun) => {
    if (closed) return;
    const stored = await store.getResult(run.id);
    if (stored) send('result', summarizeResult(stored));
    sendState(run);
    closed = true;
    cleanup();
    stream.end();
  };
  // Subscribe before reading the state, so a change in between is not missed.
  const onEvent = (e: RunEvent) => {
    if (e.type === 'progress') send('progress', e.progress);
    else if (isFinalState(e.run.state)) void finish(e.run);
    else sendState(e.run);
  };
  unsubscribe = service.subscribe(id, onEvent);
  timers.poll = setInterval(async () => {
    try {
      const run = await store.getRun(id);
      if (run && isFinalState(run.state)) await finish(run);
    } catch {
      // Next poll.
    }
  }, 2000);
  // Quiet stretches (warmup, in-cluster runs) must not look like a dead connection to proxies.
  timers.ping = setInterval(() => {
    if (!closed) stream.ping();
  }, 15_000);
  req.on('close', () => {
    closed = true;
    cleanup();
  });

  const run = await store.getRun(id);
  if (run && isFinalState(run.state)) await finish(run);
  else if (run) sendState(run);
}
