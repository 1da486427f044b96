import { useEffect, useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import {
  isFinalRunState,
  type BenchmarkRun,
  type BenchmarkRunEvent,
  type BenchmarkRunProgress,
  type BenchmarkResultSummary,
} from '@meshstage/plugin-mesh-common';
import { meshApiRef } from '../api';

/** What {@link useRunEvents} knows of a run so far. */
export interface RunEventsState {
  /** The run's latest state. */
  run?: BenchmarkRun;
  /** Progress samples in arrival order. */
  progress: BenchmarkRunProgress[];
  /** The result summary, once the run finished with one. */
  result?: BenchmarkResultSummary;
  /** True once the final state arrived. */
  done: boolean;
  /** Set when the stream failed; reading stopped. */
  error?: Error;
}

/** Folds one stream event into the state. Pure. */
export function reduceRunEvent(
  state: RunEventsState,
  event: BenchmarkRunEvent,
): RunEventsState {
  switch (event.type) {
    case 'state':
      return {
        ...state,
        run: event.run,
        done: isFinalRunState(event.run.state),
      };
    case 'progress':
      return { ...state, progress: [...state.progress, event.progress] };
    case 'result':
      return { ...state, result: event.result };
    default:
      return state;
  }
}

const initial: RunEventsState = { progress: [], done: false };

/**
 * Follows a benchmark run's event stream (`GET /benchmark/runs/:id/events`): state changes,
 * per-second progress, the result and the final state. The backend closes the stream after the
 * final state; a stream that ends earlier (a proxy timeout) is opened again after `retryDelayMs`.
 * Aborts on unmount or when `runId` changes; `undefined` follows nothing.
 */
export function useRunEvents(
  runId: string | undefined,
  options: { retryDelayMs?: number; maxRetries?: number } = {},
): RunEventsState {
  const meshApi = useApi(meshApiRef);
  const { retryDelayMs = 1000, maxRetries = 5 } = options;
  const [state, setState] = useState<RunEventsState>(initial);

  useEffect(() => {
    setState(initial);
    if (!runId) return undefined;
    const controller = new AbortController();
    const { signal } = controller;
    (async () => {
      // Shared with the event callback (an object, so the loop does not capture a `let`).
      const attempt = { failures: 0, done: false };
      while (!signal.aborted && !attempt.done) {
        try {
          await meshApi.streamBenchmarkRunEvents(
            runId,
            event => {
              if (signal.aborted) return;
              attempt.failures = 0;
              if (event.type === 'state' && isFinalRunState(event.run.state)) {
                attempt.done = true;
              }
              setState(s => reduceRunEvent(s, event));
            },
            signal,
          );
          if (attempt.done || signal.aborted) return;
          attempt.failures++;
        } catch (e) {
          if (signal.aborted) return;
          attempt.failures++;
          if (attempt.failures > maxRetries) {
            setState(s => ({ ...s, error: e as Error }));
            return;
          }
        }
        if (attempt.failures > maxRetries) {
          setState(s => ({
            ...s,
            error: new Error('The run event stream kept closing early'),
          }));
          return;
        }
        await new Promise<void>(resolve => {
          const timer = setTimeout(resolve, retryDelayMs);
          signal.addEventListener('abort', () => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
    })();
    return () => controller.abort();
  }, [meshApi, runId, retryDelayMs, maxRetries]);

  return state;
}
