import {
  InMemoryClusterView,
  kubeResources,
} from '@meshstage/plugin-mesh-node';
import { cachedClusterView } from './cachedClusterView';

describe('cachedClusterView', () => {
  it('reads each distinct list once and hands out objects no reader can change', async () => {
    const inner = new InMemoryClusterView('dev', [
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'bookinfo' } },
    ]);
    const view = cachedClusterView(inner);
    const first = await view.list(kubeResources.namespaces);
    expect(() => {
      first[0].metadata.name = 'mutated';
    }).toThrow(TypeError);
    first.pop();
    const [b] = await view.list(kubeResources.namespaces);
    expect(b.metadata.name).toBe('bookinfo');
    await view.list(kubeResources.namespaces, { labelSelector: 'x=y' });
    expect(inner.calls).toHaveLength(2);
    expect(view.name).toBe('dev');
  });

  it('shares a failure instead of retrying within the request', async () => {
    const list = jest.fn().mockRejectedValue(new Error('ECONNREFUSED'));
    const view = cachedClusterView({ name: 'down', list });
    await expect(view.list(kubeResources.pods)).rejects.toThrow('ECONNREFUSED');
    await expect(view.list(kubeResources.pods)).rejects.toThrow('ECONNREFUSED');
    expect(list).toHaveBeenCalledTimes(1);
  });
});
