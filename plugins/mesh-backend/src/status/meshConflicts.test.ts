import { IstioAdapter } from '@meshstage/plugin-mesh-backend-module-istio';
import { LinkerdAdapter } from '@meshstage/plugin-mesh-backend-module-linkerd';
import { InMemoryClusterView } from '@meshstage/plugin-mesh-node';
import type { ClusterClient } from '../cluster';
import { MeshStatusService } from './MeshStatusService';

const namespace = (
  name: string,
  labels: Record<string, string> = {},
  annotations: Record<string, string> = {},
) => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name, labels, annotations },
});

const pod = (name: string, ns: string, containers: string[]) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: ns },
  spec: { containers: containers.map(c => ({ name: c, image: `${c}:1` })) },
});

function cluster(): ClusterClient {
  const view = new InMemoryClusterView('dev');
  view.add(
    namespace(
      'both',
      { 'istio-injection': 'enabled' },
      { 'linkerd.io/inject': 'enabled' },
    ),
    namespace('istio-only', { 'istio-injection': 'enabled' }),
    namespace('linkerd-only', {}, { 'linkerd.io/inject': 'enabled' }),
    pod('double', 'both', ['app', 'istio-proxy', 'linkerd-proxy']),
    pod('single', 'istio-only', ['app', 'istio-proxy']),
  );
  return {
    name: 'dev',
    url: 'https://dev',
    serverVersion: async () => 'v1.31.0',
    list: view.list.bind(view),
  };
}

describe('conflicts between meshes in status', () => {
  it('reports a namespace with two injectors and a pod with two proxies on both meshes', async () => {
    const items = await new MeshStatusService(1000).getStatus(
      [cluster()],
      [new IstioAdapter(), new LinkerdAdapter()],
    );
    for (const item of items) {
      expect(
        item.conflicts?.map(c => [c.type, c.namespace, c.pod, c.meshes]),
      ).toEqual([
        [
          'namespace-multiple-injectors',
          'both',
          undefined,
          ['istio', 'linkerd'],
        ],
        ['pod-multiple-proxies', 'both', 'double', ['istio', 'linkerd']],
      ]);
    }
    expect(items[0].conflicts?.[0].message).toBe(
      'Namespace both is enabled for injection by istio and linkerd: new pods get several proxies. Offboard it from all but one mesh.',
    );
  });

  it('reports no conflicts with a single mesh installed', async () => {
    const [item] = await new MeshStatusService(1000).getStatus(
      [cluster()],
      [new IstioAdapter()],
    );
    expect(item.conflicts).toBeUndefined();
  });

  it('still reports a conflict when the status of one mesh is asked for', async () => {
    const items = await new MeshStatusService(1000).getStatus(
      [cluster()],
      [new IstioAdapter()],
      [new IstioAdapter(), new LinkerdAdapter()],
    );
    expect(items.map(i => i.mesh)).toEqual(['istio']);
    expect(items[0].conflicts?.map(c => c.type)).toEqual([
      'namespace-multiple-injectors',
      'pod-multiple-proxies',
    ]);
  });
});
