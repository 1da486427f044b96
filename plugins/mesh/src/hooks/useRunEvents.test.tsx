import { renderHook, waitFor } from '@testing-library/react';
import { TestApiProvider } from '@backstage/test-utils';
import type { PropsWithChildren } from 'react';
import type { BenchmarkRunEvent } from '@meshstage/plugin-mesh-common';
import { meshApiRef } from '../api';
import { reduceRunEvent, useRunEvents } from './useRunEvents';

const run = (state: string) => ({ id: 'r1', state } as any);
const progress = (second: number) =>
  ({ second, warmingUp: false, requests: 10 } as any);

function wrapper(api: object) {
  return ({ children }: PropsWithChildren) => (
    <TestApiProvider apis={[[meshApiRef, api as any]]}>
      {children}
    </TestApiProvider>
  );
}

describe('reduceRunEvent', () => {
  it('tracks state, progress and result', () => {
    let s = { progress: [], done: false } as any;
    s = reduceRunEvent(s, { type: 'state', run: run('running') });
    s = reduceRunEvent(s, { type: 'progress', progress: progress(0) });
    s = reduceRunEvent(s, { type: 'result', result: { actualRps: 10 } as any });
    expect(s.done).toBe(false);
    s = reduceRunEvent(s, { type: 'state', run: run('succeeded') });
    expect(s).toMatchObject({
      done: true,
      run: { state: 'succeeded' },
      progress: [{ second: 0 }],
      result: { actualRps: 10 },
    });
  });
});

describe('useRunEvents', () => {
  it('follows a run, reconnecting when the stream ends before the final state', async () => {
    const calls: string[] = [];
    const streams: BenchmarkRunEvent[][] = [
      [
        { type: 'state', run: run('running') },
        { type: 'progress', progress: progress(0) },
      ],
      [
        { type: 'progress', progress: progress(1) },
        { type: 'state', run: run('succeeded') },
      ],
    ];
    const api = {
      streamBenchmarkRunEvents: async (
        id: string,
        onEvent: (e: BenchmarkRunEvent) => void,
      ) => {
        calls.push(id);
        for (const e of streams.shift() ?? []) onEvent(e);
      },
    };
    const { result } = renderHook(
      () => useRunEvents('r1', { retryDelayMs: 0 }),
      { wrapper: wrapper(api) },
    );
    await waitFor(() => expect(result.current.done).toBe(true));
    expect(calls).toEqual(['r1', 'r1']);
    expect(result.current.progress.map(p => p.second)).toEqual([0, 1]);
  });

  it('gives up with the error after the retries', async () => {
    const api = {
      streamBenchmarkRunEvents: async () => {
        throw new Error('backend gone');
      },
    };
    const { result } = renderHook(
      () => useRunEvents('r1', { retryDelayMs: 0, maxRetries: 1 }),
      { wrapper: wrapper(api) },
    );
    await waitFor(() =>
      expect(result.current.error?.message).toBe('backend gone'),
    );
  });

  it('aborts the stream on unmount', async () => {
    let signal: AbortSignal | undefined;
    const api = {
      streamBenchmarkRunEvents: (_id: string, _cb: unknown, s: AbortSignal) => {
        signal = s;
        return new Promise<void>(resolve =>
          s.addEventListener('abort', () => resolve()),
        );
      },
    };
    const { unmount } = renderHook(() => useRunEvents('r1'), {
      wrapper: wrapper(api),
    });
    await waitFor(() => expect(signal).toBeDefined());
    unmount();
    expect(signal!.aborted).toBe(true);
  });
});
