import type { KubePod } from './kube';
import { findProxyContainer, isPodReady, podContainers } from './pods';

function pod(spec: KubePod['spec'], status?: KubePod['status']): KubePod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'ns' },
    spec,
    status,
  };
}

describe('pod helpers', () => {
  it('finds a proxy running as a regular container', () => {
    const p = pod({
      containers: [
        { name: 'app', image: 'app:1' },
        { name: 'istio-proxy', image: 'docker.io/istio/proxyv2:1.24.2' },
      ],
    });
    expect(findProxyContainer(p, ['istio-proxy'])?.image).toBe(
      'docker.io/istio/proxyv2:1.24.2',
    );
    expect(findProxyContainer(p, ['linkerd-proxy'])).toBeUndefined();
  });

  it('finds a proxy running as a native sidecar but not a one-shot init container', () => {
    const sidecar = pod({
      initContainers: [
        { name: 'istio-init', image: 'proxyv2:1.24.2' },
        {
          name: 'istio-proxy',
          image: 'proxyv2:1.24.2',
          restartPolicy: 'Always',
        },
      ],
      containers: [{ name: 'app' }],
    });
    expect(podContainers(sidecar).map(c => c.name)).toEqual([
      'istio-proxy',
      'app',
    ]);
    const oneShot = pod({
      initContainers: [{ name: 'linkerd-proxy', image: 'proxy:1' }],
      containers: [{ name: 'app' }],
    });
    expect(findProxyContainer(oneShot, ['linkerd-proxy'])).toBeUndefined();
  });

  it('reads readiness from the Ready condition', () => {
    expect(
      isPodReady(
        pod(
          { containers: [] },
          { conditions: [{ type: 'Ready', status: 'True' }] },
        ),
      ),
    ).toBe(true);
    expect(
      isPodReady(
        pod(
          { containers: [] },
          { conditions: [{ type: 'Ready', status: 'False' }] },
        ),
      ),
    ).toBe(false);
    expect(isPodReady(pod({ containers: [] }))).toBe(false);
  });
});
