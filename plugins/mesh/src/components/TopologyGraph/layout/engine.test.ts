import type { ElkNode } from 'elkjs/lib/elk-api';
import { inThreadEngine, workerEngine, type LayoutRequest } from './engine';
import { warmUpGraphs } from './warmUp';

/** A Worker that answers each request with the graph it was sent (no ELK), when `reply` runs. */
class FakeWorker {
  static made: FakeWorker[] = [];
  received: LayoutRequest[] = [];
  onmessage: ((e: MessageEvent) => void) | null = null;
  onerror: ((e: ErrorEvent) => void) | null = null;
  terminated = false;
  constructor() {
    FakeWorker.made.push(this);
  }
  postMessage(request: LayoutRequest) {
    this.received.push(request);
    setTimeout(() => {
      if (!this.terminated)
        this.onmessage?.({
          data: { id: request.id, graph: { ...request.graph, width: 1 } },
        } as MessageEvent);
    }, 0);
  }
  terminate() {
    this.terminated = true;
  }
}

const graph = (id: string): ElkNode => ({
  id,
  layoutOptions: { 'elk.algorithm': 'layered' },
  children: [
    { id: `${id}-a`, width: 10, height: 10 },
    { id: `${id}-b`, width: 10, height: 10 },
  ],
  edges: [{ id: `${id}-e`, sources: [`${id}-a`], targets: [`${id}-b`] }],
});

describe('layout engine warm-up', () => {
  let warn: jest.SpyInstance;
  beforeEach(() => {
    FakeWorker.made = [];
    warn = jest.spyOn(console, 'warn').mockImplementation(() => {});
  });
  afterEach(() => warn.mockRestore());

  it('starts the worker and lays out the warm-up graphs before any data, once', async () => {
    const makeWorker = jest.fn(() => new FakeWorker() as unknown as Worker);
    const engine = workerEngine(makeWorker);
    const warm = engine.warmUp!();
    expect(makeWorker).toHaveBeenCalledTimes(1); // at once, not at the first layout
    expect(engine.warmUp!()).toBe(warm);
    await warm;
    const [worker] = FakeWorker.made;
    expect(worker.received.map(r => r.graph.id)).toEqual(
      warmUpGraphs().map(g => g.id),
    );
    // the real layout goes to the same, already started worker
    expect(await engine.layout(graph('real'))).toMatchObject({
      id: 'real',
      width: 1,
    });
    expect(makeWorker).toHaveBeenCalledTimes(1);
    expect(warn).not.toHaveBeenCalled();
  });

  it('stops warming up when real data comes: it waits behind one tiny layout at most', async () => {
    const engine = workerEngine(() => new FakeWorker() as unknown as Worker);
    const warm = engine.warmUp!();
    const real = engine.layout(graph('real'));
    await Promise.all([warm, real]);
    expect(FakeWorker.made[0].received.map(r => r.graph.id)).toEqual([
      warmUpGraphs()[0].id,
      'real',
    ]);
  });

  it('warms up and lays out in this thread when the worker cannot start', async () => {
    const makeWorker = jest.fn((): Worker => {
      throw new Error('Workers are not allowed here');
    });
    const engine = workerEngine(makeWorker);
    await engine.warmUp!();
    expect(warn).toHaveBeenCalledWith(
      expect.stringContaining('Workers are not allowed here'),
    );
    // ELK ran here: real positions
    const laid = await engine.layout(graph('real'));
    expect(laid.children![1].x).toBeGreaterThan(0);
    expect(makeWorker).toHaveBeenCalledTimes(1);
  });

  it('finishes the warm-up in this thread when the worker dies during it', async () => {
    const makeWorker = jest.fn(() => {
      const w = new FakeWorker();
      w.postMessage = (request: LayoutRequest) => {
        w.received.push(request);
        setTimeout(() => w.onerror?.({ message: 'out of memory' } as any), 0);
      };
      return w as unknown as Worker;
    });
    const engine = workerEngine(makeWorker);
    await engine.warmUp!();
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('out of memory'));
    expect(FakeWorker.made[0].terminated).toBe(true);
    const laid = await engine.layout(graph('real'));
    expect(laid.children![1].x).toBeGreaterThan(0);
    expect(makeWorker).toHaveBeenCalledTimes(1);
  });

  it('loads ELK in this thread ahead of the data (the jsdom fallback)', async () => {
    const engine = inThreadEngine();
    const warm = engine.warmUp!();
    expect(engine.warmUp!()).toBe(warm);
    await warm;
    const laid = await engine.layout(graph('real'));
    expect(laid.children![1].x).toBeGreaterThan(0);
  });

  it('warm-up graphs go through both tiers: the cheap overview first, then layered with labels and groups', () => {
    const [overview, layered] = warmUpGraphs();
    expect(overview.layoutOptions!['elk.algorithm']).toBe('box');
    expect(overview.children).toHaveLength(2); // two collapsed namespaces
    expect(layered.layoutOptions!['elk.algorithm']).toBe('layered');
    expect(layered.children!.filter(c => c.children?.length)).toHaveLength(2);
    expect(layered.edges!.some(e => e.labels?.length)).toBe(true);
  });
});
