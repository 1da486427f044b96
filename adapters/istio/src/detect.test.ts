import { detectIstio } from './detect';
import { istiod, namespace, pod } from './testFixtures';

describe('detectIstio', () => {
  it('reports Istio as not installed on a cluster without istiod', () => {
    expect(
      detectIstio({
        deployments: [],
        namespaces: [namespace('bookinfo')],
        pods: [pod('details-1', 'bookinfo')],
      }),
    ).toEqual({
      installed: false,
      versions: [],
      revisions: [],
      components: [],
      namespaces: [],
    });
  });

  it('reads version from the image tag, revision default, and health from ready replicas', () => {
    const status = detectIstio({
      deployments: [istiod({ replicas: 2, readyReplicas: 1 })],
      namespaces: [namespace('istio-system')],
      pods: [],
    });
    expect(status).toMatchObject({
      installed: true,
      versions: ['1.24.2'],
      revisions: ['default'],
      components: [
        {
          name: 'istiod',
          namespace: 'istio-system',
          version: '1.24.2',
          revision: 'default',
          replicas: 2,
          readyReplicas: 1,
          healthy: false,
        },
      ],
    });
  });

  it('reports every revision during a canary upgrade', () => {
    const status = detectIstio({
      deployments: [
        istiod({
          name: 'istiod-1-24',
          revision: '1-24',
          image: 'docker.io/istio/pilot:1.24.2',
        }),
        istiod({
          name: 'istiod-1-23',
          revision: '1-23',
          image: 'docker.io/istio/pilot:1.23.4',
        }),
      ],
      namespaces: [],
      pods: [],
    });
    expect(status.versions).toEqual(['1.23.4', '1.24.2']);
    expect(status.revisions).toEqual(['1-23', '1-24']);
    expect(status.components.map(c => c.name)).toEqual([
      'istiod-1-23',
      'istiod-1-24',
    ]);
    expect(status.components.every(c => c.healthy)).toBe(true);
  });

  it('finds istiod in any namespace and ignores other Deployments', () => {
    const other = istiod({ name: 'not-istiod', namespace: 'tools' });
    other.metadata.labels = { app: 'something-else' };
    const status = detectIstio({
      deployments: [istiod({ namespace: 'mesh-cp' }), other],
      namespaces: [],
      pods: [],
    });
    expect(status.components.map(c => `${c.namespace}/${c.name}`)).toEqual([
      'mesh-cp/istiod',
    ]);
  });

  it('treats an istiod scaled to zero as unhealthy', () => {
    const status = detectIstio({
      deployments: [istiod({ replicas: 0, readyReplicas: 0 })],
      namespaces: [],
      pods: [],
    });
    expect(status.components[0].healthy).toBe(false);
  });

  it('counts pods and meshed pods of injected namespaces and of namespaces holding sidecars', () => {
    const status = detectIstio({
      deployments: [istiod({})],
      namespaces: [
        namespace('bookinfo', { 'istio-injection': 'enabled' }),
        namespace('canary', { 'istio.io/rev': '1-24' }),
        namespace('legacy'),
        namespace('plain'),
        namespace('istio-system'),
      ],
      pods: [
        pod('details-1', 'bookinfo', 'docker.io/istio/proxyv2:1.24.2'),
        pod('reviews-1', 'bookinfo'),
        pod('old-1', 'legacy', 'docker.io/istio/proxyv2:1.23.4'),
        pod('plain-1', 'plain'),
      ],
    });
    expect(status.namespaces).toEqual([
      {
        name: 'bookinfo',
        injectionEnabled: true,
        revision: 'default',
        pods: 2,
        meshedPods: 1,
      },
      {
        name: 'canary',
        injectionEnabled: true,
        revision: '1-24',
        pods: 0,
        meshedPods: 0,
      },
      { name: 'legacy', injectionEnabled: false, pods: 1, meshedPods: 1 },
    ]);
  });
});
