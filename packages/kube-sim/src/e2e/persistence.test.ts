import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { eventually } from '../__testUtils__/kubectl';
import { startKubeSimInstance } from '../sim';
import { meta } from '../api/types';

jest.setTimeout(180_000);

const EXAMPLES = resolve(__dirname, '../../../../examples/cluster');

describe('persistence and seeding', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kube-sim-state-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('seeds bookinfo from examples/cluster and its pods become ready', async () => {
    const sim = await startKubeSimInstance(
      { seed: [EXAMPLES] },
      { podStartDelayMs: 50 },
    );
    try {
      const api = sim.api;
      const deployments = api.store.list('apps/deployments', 'bookinfo');
      expect(deployments.map(d => meta(d).name).sort()).toEqual([
        'details-v1',
        'productpage-v1',
        'ratings-v1',
        'reviews-v1',
        'reviews-v2',
        'reviews-v3',
      ]);
      expect(
        api.store
          .list('/services', 'bookinfo')
          .map(s => meta(s).name)
          .sort(),
      ).toEqual(['details', 'productpage', 'ratings', 'reviews']);
      await eventually(() => {
        const pods = api.store.list('/pods', 'bookinfo');
        return (
          pods.length === 6 &&
          pods.every(p => (p.status as { phase?: string }).phase === 'Running')
        );
      });
      await eventually(() =>
        api.store
          .list('apps/deployments', 'bookinfo')
          .every(
            d =>
              (d.status as { availableReplicas?: number }).availableReplicas ===
              1,
          ),
      );
    } finally {
      await sim.close();
    }
  });

  it('restores state after close and restart, and seeds only an empty state', async () => {
    const statePath = join(dir, 'state.json');
    const first = await startKubeSimInstance(
      { statePath, seed: [EXAMPLES] },
      { podStartDelayMs: 50 },
    );
    const nsType = first.api.registry.find('', 'v1', 'configmaps')!;
    first.api.create(
      nsType,
      'default',
      { metadata: { name: 'keep' }, data: { a: '1' } },
      { fieldManager: 'test' },
    );
    await eventually(
      () =>
        first.api.store
          .list('/pods', 'bookinfo')
          .every(p => (p.status as { phase?: string }).phase === 'Running') &&
        first.api.store.count('/pods', 'bookinfo') === 6,
    );
    first.api.delete(
      first.api.registry.find('apps', 'v1', 'deployments')!,
      'bookinfo',
      'ratings-v1',
      {},
      {},
    );
    await eventually(() => first.api.store.count('/pods', 'bookinfo') === 5);
    const rvBefore = first.api.store.resourceVersion;
    const uid = meta(first.api.store.get('/configmaps', 'default', 'keep')).uid;
    await first.close();
    const saved = JSON.parse(readFileSync(statePath, 'utf8'));
    expect(saved.version).toBe(1);
    expect(saved.resourceVersion).toBe(rvBefore);

    const second = await startKubeSimInstance(
      { statePath, seed: [EXAMPLES] },
      { podStartDelayMs: 50 },
    );
    try {
      const cm = second.api.store.get('/configmaps', 'default', 'keep');
      expect(cm?.data).toEqual({ a: '1' });
      expect(meta(cm).uid).toBe(uid);
      // the deleted deployment was not seeded again
      expect(
        second.api.store.get('apps/deployments', 'bookinfo', 'ratings-v1'),
      ).toBeUndefined();
      expect(second.api.store.count('/pods', 'bookinfo')).toBe(5);
      expect(second.api.store.resourceVersion).toBeGreaterThanOrEqual(rvBefore);
      const created = second.api.create(
        nsType,
        'default',
        { metadata: { name: 'after' } },
        { fieldManager: 'test' },
      );
      expect(Number(meta(created).resourceVersion)).toBeGreaterThan(rvBefore);
      // a watch from before the restart is too old
      expect(() => second.api.store.eventsSince(rvBefore - 5)).toThrow(
        /too old resource version/,
      );
    } finally {
      await second.close();
    }
  });
});
