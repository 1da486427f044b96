import type { KubeObject } from '../kube';
import { kubeResources } from '../kube';
import { InMemoryClusterView } from './InMemoryClusterView';

const objects: KubeObject[] = [
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'istio-system' } },
  {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'istiod',
      namespace: 'istio-system',
      labels: { app: 'istiod' },
    },
  },
  {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'reviews',
      namespace: 'bookinfo',
      labels: { app: 'reviews' },
    },
  },
  {
    apiVersion: 'networking.istio.io/v1',
    kind: 'DestinationRule',
    metadata: { name: 'reviews', namespace: 'bookinfo' },
  },
];

describe('InMemoryClusterView', () => {
  const view = new InMemoryClusterView('dev', objects);

  it('lists by resource type, namespace and label selector', async () => {
    expect(
      (await view.list(kubeResources.deployments)).map(d => d.metadata.name),
    ).toEqual(['istiod', 'reviews']);
    expect(
      (
        await view.list(kubeResources.deployments, { namespace: 'bookinfo' })
      ).map(d => d.metadata.name),
    ).toEqual(['reviews']);
    expect(
      (
        await view.list(kubeResources.deployments, {
          labelSelector: 'app=istiod',
        })
      ).map(d => d.metadata.name),
    ).toEqual(['istiod']);
    expect(await view.list(kubeResources.namespaces)).toHaveLength(1);
  });

  it('derives plurals of custom resources and lists unknown types as empty', async () => {
    expect(
      await view.list({
        group: 'networking.istio.io',
        version: 'v1',
        plural: 'destinationrules',
      }),
    ).toHaveLength(1);
    expect(
      await view.list({
        group: 'security.istio.io',
        version: 'v1',
        plural: 'peerauthentications',
      }),
    ).toEqual([]);
  });

  it('returns copies, so a caller cannot change the cluster by mutating results', async () => {
    const [ns] = await view.list(kubeResources.namespaces);
    ns.metadata.name = 'changed';
    const [again] = await view.list(kubeResources.namespaces);
    expect(again.metadata.name).toBe('istio-system');
  });

  it('records the calls made', async () => {
    const v = new InMemoryClusterView('dev');
    await v.list(kubeResources.pods, { labelSelector: 'a=b' });
    expect(v.calls).toEqual([
      { resource: kubeResources.pods, options: { labelSelector: 'a=b' } },
    ]);
  });
});
