import { InMemoryClusterView } from '@meshstage/plugin-mesh-node';
import { LinkerdAdapter } from './LinkerdAdapter';
import { fullControlPlane, namespace, pod } from './testFixtures';

describe('LinkerdAdapter', () => {
  const adapter = new LinkerdAdapter();

  it('describes itself', () => {
    expect(adapter.id).toBe('linkerd');
    expect(adapter.displayName).toBe('Linkerd');
    expect(adapter.supportedVersions()).toEqual([
      'stable-2.14.10',
      'edge-24.11.8',
      'edge-26.5.5',
      'edge-26.8.3',
    ]);
  });

  it('detects Linkerd through a cluster view, reading Deployments of the control-plane namespace only', async () => {
    const cluster = new InMemoryClusterView('dev', [
      namespace('linkerd', {
        labels: { 'linkerd.io/is-control-plane': 'true' },
      }),
      namespace('bookinfo', {
        annotations: { 'linkerd.io/inject': 'enabled' },
      }),
      ...fullControlPlane(),
      pod('details-1', 'bookinfo', 'cr.l5d.io/linkerd/proxy:stable-2.14.10'),
    ]);
    const status = await adapter.detect(cluster);
    expect(status).toMatchObject({
      installed: true,
      versions: ['stable-2.14.10'],
      namespaces: [
        { name: 'bookinfo', injectionEnabled: true, pods: 1, meshedPods: 1 },
      ],
    });
    expect(
      cluster.calls.filter(c => c.resource.plural === 'deployments'),
    ).toEqual([
      {
        resource: { group: 'apps', version: 'v1', plural: 'deployments' },
        options: { namespace: 'linkerd' },
      },
    ]);
  });

  it('does not list Deployments at all when there is no control-plane namespace', async () => {
    const cluster = new InMemoryClusterView('dev', [namespace('bookinfo')]);
    expect((await adapter.detect(cluster)).installed).toBe(false);
    expect(cluster.calls.some(c => c.resource.plural === 'deployments')).toBe(
      false,
    );
  });
});
