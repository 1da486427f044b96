/**
 * Spreads a run over worker threads. Each worker runs its share of the
 * connections (and so of the rate) with its own event loop and returns its
 * result; histograms are added, never averaged, when merging.
 *
 * @packageDocumentation
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import {
  splitShares,
  configSummary,
  type NormalizedOptions,
  type Share,
} from '../options';
import { mergeResults } from '../stats/result';
import type { LoadResult, Progress } from '../types';
import { mergeProgress } from './mergeProgress';
import type { ShareHooks } from '../run';
import { packageRoot } from '../paths';

/** Messages a worker posts. */
export type WorkerMessage =
  | { type: 'ready' }
  | { type: 'progress'; progress: Progress }
  | { type: 'result'; result: LoadResult }
  | { type: 'error'; message: string };

/** Messages a worker receives. */
export type WorkerCommand =
  | { type: 'start'; startAtEpochMs: number }
  | { type: 'abort' };

/** Data a worker starts with. */
export interface WorkerData {
  options: NormalizedOptions;
  share: Share;
}

/** Defined (true) by scripts/bundle-cli.mjs in the single-file meshperf bundle. */
declare const MESHPERF_BUNDLE: boolean | undefined;

/**
 * The worker's bootstrap code. In the single-file bundle (dist/meshperf.cjs)
 * the worker loads that same file; from the library build it loads
 * dist/index.cjs.js; from sources (development, tests) it first installs the
 * Backstage CLI's TypeScript transform, which a new thread does not inherit.
 */
function workerCode(): string {
  if (typeof MESHPERF_BUNDLE !== 'undefined' && MESHPERF_BUNDLE) {
    return `require(${JSON.stringify(__filename)}).runLoadWorker();`;
  }
  const root = packageRoot();
  const dist = resolve(root, 'dist/index.cjs.js');
  if (!__filename.endsWith('.ts') && existsSync(dist)) {
    return `require(${JSON.stringify(dist)}).runLoadWorker();`;
  }
  return [
    `require(${JSON.stringify(
      require.resolve('@backstage/cli-node/config/nodeTransform.cjs'),
    )});`,
    `require(${JSON.stringify(
      resolve(root, 'src/threads/worker.ts'),
    )}).runLoadWorker();`,
  ].join('\n');
}

/** Runs the options across `options.threads` worker threads and merges their results. */
export async function runThreads(
  n: NormalizedOptions,
  hooks: ShareHooks = {},
): Promise<LoadResult> {
  const shares = splitShares(n);
  const code = workerCode();
  const progress: Progress[] = shares.map(() => ({
    elapsedMs: 0,
    completed: 0,
    failed: 0,
    warmingUp: true,
  }));
  const workers = shares.map(
    share =>
      new Worker(code, {
        eval: true,
        workerData: { options: n, share } as WorkerData,
      }),
  );
  let ready = 0;
  const onAbort = () =>
    workers.forEach(w => w.postMessage({ type: 'abort' } as WorkerCommand));
  hooks.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const results = await Promise.all(
      workers.map(
        (w, i) =>
          new Promise<LoadResult>((resolvePromise, reject) => {
            w.on('message', (m: WorkerMessage) => {
              if (m.type === 'ready') {
                // Start every worker at the same wall-clock instant, shortly
                // after the last one is up, so their schedules interleave.
                if (++ready === workers.length) {
                  const startAtEpochMs = Date.now() + 20;
                  workers.forEach(x =>
                    x.postMessage({
                      type: 'start',
                      startAtEpochMs,
                    } as WorkerCommand),
                  );
                  if (hooks.signal?.aborted) onAbort();
                }
              } else if (m.type === 'progress') {
                progress[i] = m.progress;
                hooks.onProgress?.(mergeProgress(progress));
              } else if (m.type === 'result') resolvePromise(m.result);
              else if (m.type === 'error') reject(new Error(m.message));
            });
            w.on('error', reject);
            w.on('exit', c =>
              reject(
                new Error(
                  `load worker ${i} exited with code ${c} before reporting`,
                ),
              ),
            );
          }),
      ),
    );
    const merged = mergeResults(results);
    merged.config = configSummary(n);
    return merged;
  } finally {
    hooks.signal?.removeEventListener('abort', onAbort);
    await Promise.all(workers.map(w => w.terminate()));
  }
}
