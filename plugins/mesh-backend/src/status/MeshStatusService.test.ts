import { InMemoryClusterView } from '@meshstage/plugin-mesh-node';
import type { ClusterClient } from '../cluster';
import { MeshStatusService } from './MeshStatusService';
import { fakeAdapter } from './testAdapters';

function cluster(name: string): ClusterClient {
  const view = new InMemoryClusterView(name);
  return {
    name,
    url: `https://${name}`,
    serverVersion: async () => 'v1.31.0',
    list: view.list.bind(view),
  };
}

const installed = async () => ({
  installed: true,
  versions: ['1.0.0'],
  revisions: [],
  components: [],
  namespaces: [],
});

describe('MeshStatusService', () => {
  it('reports every (cluster, adapter) pair, in cluster then adapter order', async () => {
    const service = new MeshStatusService(1000);
    const items = await service.getStatus(
      [cluster('a'), cluster('b')],
      [fakeAdapter('istio', [], installed), fakeAdapter('linkerd', [])],
    );
    expect(items.map(i => [i.cluster, i.mesh, i.installed])).toEqual([
      ['a', 'istio', true],
      ['a', 'linkerd', false],
      ['b', 'istio', true],
      ['b', 'linkerd', false],
    ]);
    expect(items.every(i => i.error === undefined)).toBe(true);
  });

  it('turns a failing or hanging detection into an error on that pair only', async () => {
    const service = new MeshStatusService(50);
    const items = await service.getStatus(
      [cluster('a')],
      [
        fakeAdapter('broken', [], async () => {
          throw new Error('no such thing');
        }),
        fakeAdapter('hanging', [], () => new Promise(() => {})),
        fakeAdapter('istio', [], installed),
      ],
    );
    expect(items).toEqual([
      expect.objectContaining({
        mesh: 'broken',
        installed: false,
        error: 'no such thing',
      }),
      expect.objectContaining({
        mesh: 'hanging',
        installed: false,
        error: "detecting hanging on cluster 'a' took longer than 150 ms",
      }),
      expect.objectContaining({ mesh: 'istio', installed: true }),
    ]);
  });
});
