import type { ElkNode } from 'elkjs/lib/elk-api';
import { warmUpGraphs } from './warmUp';

/** Lays out an ELK graph somewhere: a web worker, or this thread. */
export interface LayoutEngine {
  layout(graph: ElkNode): Promise<ElkNode>;
  /**
   * Gets ready for the first layout ahead of it: starts the worker, loads ELK and runs a tiny
   * layout (see `warmUpGraphs`), so that a graph arriving later is laid out by code already loaded
   * and compiled. Called when the Topology tab mounts, in parallel with its API request; once per
   * engine (later calls return the same promise), never rejects.
   */
  warmUp?(): Promise<void>;
}

/** Lays out the warm-up graphs one after another, until `stop()` says a real layout came. */
async function runWarmUp(
  layout: (g: ElkNode) => Promise<ElkNode>,
  stop: () => boolean = () => false,
): Promise<void> {
  for (const g of warmUpGraphs()) {
    if (stop()) return;
    await layout(g).catch(() => undefined);
  }
}

/** Messages between the page and `elk.worker.ts`. */
export type LayoutRequest = { id: number; graph: ElkNode };
export type LayoutResponse =
  | { id: number; graph: ElkNode }
  | { id: number; error: string };

/** ELK in this thread (elkjs' bundled build, loaded on first use). */
export function inThreadEngine(): LayoutEngine {
  let elk: Promise<{ layout(g: ElkNode): Promise<ElkNode> }> | undefined;
  let warm: Promise<void> | undefined;
  let requested = false;
  const run = (graph: ElkNode) => {
    elk ??= import('elkjs/lib/elk.bundled.js').then(m => {
      const ELK = (m as any).default ?? m;
      return new ELK();
    });
    return elk.then(e => e.layout(graph));
  };
  return {
    layout(graph) {
      requested = true;
      return run(graph);
    },
    warmUp() {
      warm ??= runWarmUp(run, () => requested);
      return warm;
    },
  };
}

/**
 * ELK in a web worker made by `makeWorker` (running `elk.worker.ts`). When the worker cannot start
 * or dies, this and every later layout run in this thread instead.
 */
export function workerEngine(makeWorker: () => Worker): LayoutEngine {
  let worker: Worker | undefined;
  let broken = false;
  let nextId = 1;
  let requested = false;
  let warm: Promise<void> | undefined;
  const pending = new Map<
    number,
    { resolve(g: ElkNode): void; reject(e: Error): void; graph: ElkNode }
  >();
  const fallback = inThreadEngine();

  const fail = (why: string) => {
    broken = true;
    worker?.terminate();
    worker = undefined;
    // Whatever was waiting is laid out here instead.
    for (const [id, p] of pending) {
      pending.delete(id);
      fallback.layout(p.graph).then(p.resolve, p.reject);
    }
    // eslint-disable-next-line no-console
    console.warn(
      `Topology layout worker unavailable (${why}); laying out in the page`,
    );
  };

  const start = () => {
    try {
      const w = makeWorker();
      w.onmessage = (e: MessageEvent<LayoutResponse>) => {
        const p = pending.get(e.data.id);
        if (!p) return;
        pending.delete(e.data.id);
        if ('error' in e.data) p.reject(new Error(e.data.error));
        else p.resolve(e.data.graph);
      };
      w.onerror = e => fail(e.message || 'worker error');
      return w;
    } catch (e) {
      fail((e as Error).message);
      return undefined;
    }
  };

  const post = (graph: ElkNode): Promise<ElkNode> => {
    if (broken) return fallback.layout(graph);
    worker ??= start();
    if (!worker) return fallback.layout(graph);
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject, graph });
      worker!.postMessage({ id, graph } satisfies LayoutRequest);
    });
  };

  return {
    layout(graph) {
      requested = true;
      return post(graph);
    },
    // The worker starts and loads ELK at once; the warm-up graphs follow one at a time, so a real
    // layout arriving meanwhile waits behind one tiny layout at most.
    warmUp() {
      warm ??= runWarmUp(post, () => requested);
      return warm;
    },
  };
}

let shared: LayoutEngine | undefined;

/**
 * The engine the graph uses unless told otherwise: one web worker for the page where `Worker`
 * exists (the URL is written inline so the app's bundler emits the worker), else this thread
 * (e.g. jsdom).
 */
export function defaultLayoutEngine(): LayoutEngine {
  if (!shared) {
    shared =
      typeof Worker === 'undefined'
        ? inThreadEngine()
        : workerEngine(
            () =>
              new Worker(new URL('./elk.worker.ts', import.meta.url), {
                name: 'topology-layout',
              }),
          );
  }
  return shared;
}
