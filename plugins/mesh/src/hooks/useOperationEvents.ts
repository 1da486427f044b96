import { useEffect, useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import type {
  OperationFinalStateEvent,
  OperationLogEntry,
} from '@meshstage/plugin-mesh-common';
import { meshApiRef } from '../api';

/** What {@link useOperationEvents} knows of an operation so far. */
export interface OperationEventsState {
  /** Step-log lines in `seq` order, without duplicates across reconnects. */
  log: OperationLogEntry[];
  /** The final state, once the stream sent it. */
  final?: OperationFinalStateEvent;
  /** Set when the stream could not be read after the retries; reading stopped. */
  error?: Error;
  /** Consecutive reconnects since the last event (0 while all is well). */
  reconnects: number;
}

/** Options of {@link useOperationEvents}. */
export interface OperationEventsOptions {
  /** Wait before reconnecting a stream that ended without a final state. Default 1000 ms. */
  retryDelayMs?: number;
  /** Consecutive failed reconnects before giving up. Default 5. */
  maxRetries?: number;
}

const initial: OperationEventsState = { log: [], reconnects: 0 };

/**
 * Follows an operation's step log (`GET /operations/:id/events`) until its final state: resumes
 * with `Last-Event-ID` when the stream breaks, and stops (aborting the request) on unmount or when
 * `operationId` changes. `undefined` follows nothing.
 */
export function useOperationEvents(
  operationId: string | undefined,
  options: OperationEventsOptions = {},
): OperationEventsState {
  const meshApi = useApi(meshApiRef);
  const { retryDelayMs = 1000, maxRetries = 5 } = options;
  const [state, setState] = useState<OperationEventsState>(initial);

  useEffect(() => {
    setState(initial);
    if (!operationId) return undefined;
    const controller = new AbortController();
    const { signal } = controller;
    const wait = (ms: number) =>
      new Promise<void>(resolve => {
        const timer = setTimeout(resolve, ms);
        signal.addEventListener('abort', () => {
          clearTimeout(timer);
          resolve();
        });
      });
    /** One connection: from the line after `after` until the stream ends. */
    const connect = async (after: number) => {
      const seen = { lastSeq: after, progressed: false, finished: false };
      let error: Error | undefined;
      try {
        await meshApi.streamOperationEvents(operationId, {
          signal,
          lastEventId: after,
          onEvent: event => {
            if (signal.aborted) return;
            if (event.type === 'log') {
              seen.progressed = true;
              const entry = event.entry;
              if (entry.seq <= seen.lastSeq) return;
              seen.lastSeq = entry.seq;
              setState(s => ({ ...s, reconnects: 0, log: [...s.log, entry] }));
            } else if (event.type === 'state') {
              seen.finished = true;
              setState(s => ({ ...s, reconnects: 0, final: event.state }));
            } else {
              error = new Error(event.message);
            }
          },
        });
      } catch (e) {
        error = e as Error;
      }
      return { ...seen, error };
    };

    (async () => {
      let lastSeq = 0;
      let failures = 0;
      while (!signal.aborted) {
        const result = await connect(lastSeq);
        lastSeq = result.lastSeq;
        if (result.finished || signal.aborted) return;
        failures = result.progressed ? 1 : failures + 1;
        if (failures > maxRetries) {
          const error =
            result.error ??
            new Error(
              'The operation’s event stream ended before its final state',
            );
          setState(s => ({ ...s, error }));
          return;
        }
        const attempt = failures;
        setState(s => ({ ...s, reconnects: attempt }));
        await wait(retryDelayMs);
      }
    })();

    return () => controller.abort();
  }, [meshApi, operationId, retryDelayMs, maxRetries]);

  return state;
}
