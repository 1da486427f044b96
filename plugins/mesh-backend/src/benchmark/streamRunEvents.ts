import type express from 'express';
import { openEventStream } from '../service/eventStream';
import type { BenchmarkService, RunEvent } from './BenchmarkService';
import type { BenchmarkStore } from './BenchmarkStore';
import { summarizeResult } from './resultView';
import { maskRunSecrets } from './secretHeaders';
import { type BenchmarkRun, isFinalState } from './types';

/** The `id` of a `state` event: `state-running`, `state-succeeded` ... */
const stateEventId = (run: BenchmarkRun) => `state-${run.state}`;

/**
 * Streams a run as Server-Sent Events: `state` now and on every change, `progress` once a second
 * while it runs in this process, then `result` and the final `state`, and closes. Runs executing
 * on (or finished by) another backend instance are followed through the database.
 *
 * Events carry ids (`state-<state>`, `progress-<second>`) and a reconnecting client's
 * `Last-Event-ID` is honoured: after the final state it gets 204 No Content (nothing more will
 * come; EventSource stops reconnecting on a 204), while the run goes on it is not sent the state
 * it already has. Progress is live only: seconds missed while disconnected are not replayed (the
 * result has the whole run).
 */
export async function streamRunEvents(options: {
  id: string;
  req: express.Request;
  res: express.Response;
  service: BenchmarkService;
  store: BenchmarkStore;
}): Promise<void> {
  const { id, req, res, service, store } = options;
  const lastEventId = req.header('last-event-id');
  const current = await store.getRun(id);
  if (current && isFinalState(current.state)) {
    if (lastEventId === stateEventId(current)) {
      res.status(204).end();
      return;
    }
  }
  // A reconnecting client that saw this state (or progress after it) needs it not again.
  const skipState =
    current !== undefined &&
    !isFinalState(current.state) &&
    (lastEventId === stateEventId(current) ||
      (current.state === 'running' &&
        /^progress-\d+$/.test(lastEventId ?? '')));
  const stream = openEventStream(res);

  let closed = false;
  const timers: { poll?: NodeJS.Timeout; ping?: NodeJS.Timeout } = {};
  let unsubscribe = () => {};
  const cleanup = () => {
    clearInterval(timers.poll);
    clearInterval(timers.ping);
    unsubscribe();
  };
  const send = (event: string, data: unknown, eventId?: string) => {
    if (!closed) stream.send(event, data, eventId);
  };
  const sendState = (run: BenchmarkRun) =>
    send('state', maskRunSecrets(run), stateEventId(run));
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
    if (e.type === 'progress') {
      send('progress', e.progress, `progress-${e.progress.second}`);
    } else if (isFinalState(e.run.state)) void finish(e.run);
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
  else if (run && !(skipState && run.state === current?.state)) sendState(run);
}
