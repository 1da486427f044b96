import type { ElkNode } from 'elkjs/lib/elk-api';

/** Lays out an ELK graph somewhere: a web worker, or this thread. */
export interface LayoutEngine {
  layout(graph: ElkNode): Promise<ElkNode>;
}

/** Messages between the page and `elk.worker.ts`. */
export type LayoutRequest = { id: number; graph: ElkNode };
export type LayoutResponse =
  | { id: number; graph: ElkNode }
  | { id: number; error: string };

/** ELK in this thread (elkjs' bundled build, loaded on first use). */
export function inThreadEngine(): LayoutEngine {
  let elk: Promise<{ layout(g: ElkNode): Promise<ElkNode> }> | undefined;
  return {
    layout(graph) {
      elk ??= import('elkjs/lib/elk.bundled.js').then(m => {
        const ELK = (m as any).default ?? m;
        return new ELK();
      });
      return elk.then(e => e.layout(graph));
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

  return {
    layout(graph) {
      if (broken) return fallback.layout(graph);
      worker ??= start();
      if (!worker) return fallback.layout(graph);
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject, graph });
        worker!.postMessage({ id, graph } satisfies LayoutRequest);
      });
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
