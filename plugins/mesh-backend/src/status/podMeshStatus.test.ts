import type { KubePod } from '@meshstage/plugin-mesh-node';
import { podMeshStatus } from './podMeshStatus';
import { fakeAdapter } from './testAdapters';

const adapters = [
  fakeAdapter('istio', ['istio-proxy']),
  fakeAdapter('linkerd', ['linkerd-proxy']),
];

function pod(spec: KubePod['spec'], status: KubePod['status'] = {}): KubePod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'reviews-v1-abc', namespace: 'bookinfo' },
    spec,
    status,
  };
}

describe('podMeshStatus', () => {
  it('marks the proxy container and the mesh whose proxy it is', () => {
    expect(
      podMeshStatus(
        pod(
          {
            containers: [
              {
                name: 'reviews',
                image: 'docker.io/istio/examples-bookinfo-reviews-v1:1.20.2',
              },
              { name: 'istio-proxy', image: 'docker.io/istio/proxyv2:1.24.2' },
            ],
          },
          { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] },
        ),
        adapters,
      ),
    ).toEqual({
      name: 'reviews-v1-abc',
      namespace: 'bookinfo',
      phase: 'Running',
      ready: true,
      mesh: 'istio',
      proxyVersion: '1.24.2',
      containers: [
        {
          name: 'reviews',
          image: 'docker.io/istio/examples-bookinfo-reviews-v1:1.20.2',
          proxy: false,
        },
        {
          name: 'istio-proxy',
          image: 'docker.io/istio/proxyv2:1.24.2',
          proxy: true,
        },
      ],
    });
  });

  it('recognises a proxy running as a native sidecar', () => {
    const status = podMeshStatus(
      pod({
        initContainers: [
          {
            name: 'linkerd-proxy',
            image: 'cr.l5d.io/linkerd/proxy:edge-24.11.8',
            restartPolicy: 'Always',
          },
        ],
        containers: [{ name: 'app', image: 'app:1' }],
      }),
      adapters,
    );
    expect(status.mesh).toBe('linkerd');
    expect(status.proxyVersion).toBe('edge-24.11.8');
  });

  it('reports a pod without proxy as outside any mesh', () => {
    const status = podMeshStatus(
      pod({ containers: [{ name: 'app', image: 'app:1' }] }),
      adapters,
    );
    expect(status).not.toHaveProperty('mesh');
    expect(status.phase).toBe('Unknown');
    expect(status.ready).toBe(false);
  });
});
