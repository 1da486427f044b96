import { InMemoryClusterView } from '@meshstage/plugin-mesh-node';
import { IstioAdapter } from './IstioAdapter';
import { istiod, namespace, pod } from './testFixtures';

describe('IstioAdapter', () => {
  const adapter = new IstioAdapter();

  it('describes itself', () => {
    expect(adapter.id).toBe('istio');
    expect(adapter.displayName).toBe('Istio');
    expect(adapter.supportedVersions()).toEqual([
      '1.23.4',
      '1.24.2',
      '1.29.6',
      '1.30.3',
    ]);
  });

  it('detects Istio through a cluster view', async () => {
    const cluster = new InMemoryClusterView('dev', [
      namespace('istio-system'),
      namespace('bookinfo', { 'istio-injection': 'enabled' }),
      istiod({ image: 'docker.io/istio/pilot:1.23.4' }),
      pod('details-1', 'bookinfo', 'docker.io/istio/proxyv2:1.23.4'),
    ]);
    const status = await adapter.detect(cluster);
    expect(status).toMatchObject({
      installed: true,
      versions: ['1.23.4'],
      revisions: ['default'],
      namespaces: [{ name: 'bookinfo', pods: 1, meshedPods: 1 }],
    });
    // istiod is found with a label selector rather than by reading every Deployment.
    expect(cluster.calls).toContainEqual({
      resource: { group: 'apps', version: 'v1', plural: 'deployments' },
      options: { labelSelector: 'app=istiod' },
    });
  });

  it('propagates a failing cluster as a rejection', async () => {
    const failing = {
      name: 'down',
      list: async () => {
        throw new Error('connect ECONNREFUSED');
      },
    };
    await expect(adapter.detect(failing)).rejects.toThrow('ECONNREFUSED');
  });
});
