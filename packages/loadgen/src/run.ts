/**
 * Runs a load test: in the calling thread, or split across worker threads
 * whose results are merged exactly.
 *
 * @packageDocumentation
 */
import { performance } from 'node:perf_hooks';
import { runEngine } from './engine/engine';
import {
  configSummary,
  normalizeOptions,
  type NormalizedOptions,
  type Share,
} from './options';
import { buildResult } from './stats/result';
import { runThreads } from './threads/pool';
import { GrpcTransport } from './transport/grpc';
import { HttpTransport } from './transport/http';
import { guardTargets } from './transport/guardTargets';
import { NetTransport } from './transport/net';
import type { Transport } from './transport/types';
import type { LoadOptions, LoadResult, Progress } from './types';

/** Creates the transport for a share of a run. */
export function createTransport(
  n: NormalizedOptions,
  connections: number,
): Transport {
  if (n.grpc) {
    return new GrpcTransport({
      targets: n.targets,
      connections,
      timeoutMs: n.timeoutMs,
      grpc: n.grpc,
      tls: n.tls,
      resolve: n.resolve,
    });
  }
  if (n.engine === 'net') {
    return new NetTransport({
      targets: n.targets,
      connections,
      timeoutMs: n.timeoutMs,
      resolve: n.resolve,
    });
  }
  return new HttpTransport({
    targets: n.targets,
    connections,
    pipelining: n.pipelining,
    timeoutMs: n.timeoutMs,
    http2: n.http2,
    tls: n.tls,
    resolve: n.resolve,
  });
}

/** Hooks of a running share. */
export interface ShareHooks {
  signal?: AbortSignal;
  onProgress?: (p: Progress) => void;
  /**
   * Called once connections are open; resolves to the wall-clock time
   * (epoch ms) at which all threads start together. Default: start now.
   */
  waitForStart?: () => Promise<number>;
}

/** Runs one share of a run in this thread and returns its result. */
export async function runShare(
  n: NormalizedOptions,
  share: Share,
  hooks: ShareHooks = {},
): Promise<LoadResult> {
  const transport = createTransport(n, share.connections);
  const clock = { now: () => performance.now() };
  try {
    await transport.prepare();
    const startAtEpochMs = hooks.waitForStart
      ? await hooks.waitForStart()
      : undefined;
    const elu = performance.eventLoopUtilization();
    const startAt =
      startAtEpochMs !== undefined
        ? clock.now() + (startAtEpochMs - Date.now())
        : clock.now();
    const outcome = await runEngine(
      transport,
      {
        lanes: share.connections * n.pipelining,
        laneOffset: share.laneOffset,
        totalLanes: share.totalLanes,
        rate: n.rate,
        durationMs: n.durationMs,
        count: share.count,
        warmupMs: n.warmupMs,
        jitter: n.jitter,
        weights: n.targets.map(t => t.weight),
        startAt,
        // In-flight requests at the end get their timeout (and a little) to finish.
        drainMs: n.timeoutMs > 0 ? n.timeoutMs + 500 : 5000,
        signal: hooks.signal,
        onProgress: hooks.onProgress,
      },
      clock,
    );
    const startEpochMs = Date.now() - (clock.now() - outcome.measureStart);
    const busy = performance.eventLoopUtilization(elu).utilization;
    const result = buildResult(outcome.data, {
      config: configSummary(n, share),
      startEpochMs,
      durationMs: outcome.durationMs,
      labels: n.labels,
    });
    result.generatorBusy = Math.round(busy * 1000) / 1000;
    return result;
  } finally {
    await transport.close();
  }
}

/**
 * Runs a load test and returns its result. With `threads > 1` the
 * connections, rate and count are split among worker threads, and their
 * histograms are added into one result.
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const n = normalizeOptions(options);
  if (n.denyLinkLocal) {
    // Checked and pinned here, once, before any thread connects.
    n.resolve = await guardTargets(n.targets, {
      grpc: Boolean(n.grpc),
      resolve: n.resolve,
    });
  }
  const hooks = { signal: options.signal, onProgress: options.onProgress };
  if (n.threads > 1) {
    return runThreads(n, hooks);
  }
  const result = await runShare(
    n,
    {
      index: 0,
      connections: n.connections,
      laneOffset: 0,
      totalLanes: n.connections * n.pipelining,
      count: n.count,
    },
    hooks,
  );
  result.config = configSummary(n);
  return result;
}
