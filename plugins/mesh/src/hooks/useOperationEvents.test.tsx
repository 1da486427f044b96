import { ReactNode } from 'react';
import { act, renderHook, waitFor } from '@testing-library/react';
import { TestApiProvider } from '@backstage/test-utils';
import type { OperationLogEntry } from '@meshstage/plugin-mesh-common';
import { MeshApi, meshApiRef } from '../api';
import type { OperationStreamOptions } from '../api/MeshOperationsApi';
import { useOperationEvents } from './useOperationEvents';

const line = (seq: number): OperationLogEntry => ({
  seq,
  time: '2026-12-02T10:00:00.000Z',
  level: 'info',
  message: `line ${seq}`,
});

/** A fake stream whose connections the test drives one by one. */
function controlledStreams() {
  const connections: Array<
    OperationStreamOptions & { id: string; end: (error?: Error) => void }
  > = [];
  const streamOperationEvents = jest.fn(
    (id: string, options: OperationStreamOptions) =>
      new Promise<void>((resolve, reject) => {
        connections.push({
          ...options,
          id,
          end: error => (error ? reject(error) : resolve()),
        });
        options.signal?.addEventListener('abort', () => resolve());
      }),
  );
  return { connections, streamOperationEvents };
}

function setup(streams: ReturnType<typeof controlledStreams>) {
  const api = {
    streamOperationEvents: streams.streamOperationEvents,
  } as unknown as MeshApi;
  const wrapper = ({ children }: { children: ReactNode }) => (
    <TestApiProvider apis={[[meshApiRef, api]]}>{children}</TestApiProvider>
  );
  return wrapper;
}

describe('useOperationEvents', () => {
  it('collects log lines and the final state', async () => {
    const streams = controlledStreams();
    const { result } = renderHook(() => useOperationEvents('op-1'), {
      wrapper: setup(streams),
    });
    await waitFor(() => expect(streams.connections).toHaveLength(1));
    const c = streams.connections[0];
    expect(c).toMatchObject({ id: 'op-1', lastEventId: 0 });
    act(() => {
      c.onEvent({ type: 'log', entry: line(1) });
      c.onEvent({ type: 'log', entry: line(2) });
      c.onEvent({ type: 'state', state: { state: 'succeeded' } });
      c.end();
    });
    await waitFor(() =>
      expect(result.current.final).toEqual({ state: 'succeeded' }),
    );
    expect(result.current.log.map(l => l.seq)).toEqual([1, 2]);
    expect(streams.connections).toHaveLength(1);
  });

  it('reconnects after the last line when the stream breaks, without duplicates', async () => {
    const streams = controlledStreams();
    const { result } = renderHook(
      () => useOperationEvents('op-1', { retryDelayMs: 0 }),
      { wrapper: setup(streams) },
    );
    await waitFor(() => expect(streams.connections).toHaveLength(1));
    act(() => {
      streams.connections[0].onEvent({ type: 'log', entry: line(1) });
      streams.connections[0].onEvent({ type: 'log', entry: line(2) });
      streams.connections[0].end(new Error('network changed'));
    });
    await waitFor(() => expect(streams.connections).toHaveLength(2));
    const second = streams.connections[1];
    expect(second.lastEventId).toBe(2);
    act(() => {
      second.onEvent({ type: 'log', entry: line(2) }); // a replayed line is dropped
      second.onEvent({ type: 'log', entry: line(3) });
      second.onEvent({
        type: 'state',
        state: { state: 'failed', error: 'boom' },
      });
      second.end();
    });
    await waitFor(() => expect(result.current.final?.state).toBe('failed'));
    expect(result.current.log.map(l => l.seq)).toEqual([1, 2, 3]);
  });

  it('gives up with the last error after the retries', async () => {
    const streams = controlledStreams();
    const { result } = renderHook(
      () => useOperationEvents('op-1', { retryDelayMs: 0, maxRetries: 1 }),
      { wrapper: setup(streams) },
    );
    await waitFor(() => expect(streams.connections).toHaveLength(1));
    act(() => streams.connections[0].end(new Error('403 Forbidden')));
    await waitFor(() => expect(streams.connections).toHaveLength(2));
    act(() => streams.connections[1].end(new Error('403 Forbidden')));
    await waitFor(() =>
      expect(result.current.error?.message).toBe('403 Forbidden'),
    );
    expect(result.current.final).toBeUndefined();
  });

  it('aborts the stream on unmount and follows nothing without an id', async () => {
    const streams = controlledStreams();
    const { unmount } = renderHook(() => useOperationEvents('op-1'), {
      wrapper: setup(streams),
    });
    await waitFor(() => expect(streams.connections).toHaveLength(1));
    unmount();
    expect(streams.connections[0].signal?.aborted).toBe(true);

    const none = controlledStreams();
    const { result } = renderHook(() => useOperationEvents(undefined), {
      wrapper: setup(none),
    });
    expect(result.current).toEqual({ log: [], reconnects: 0 });
    expect(none.streamOperationEvents).not.toHaveBeenCalled();
  });
});
