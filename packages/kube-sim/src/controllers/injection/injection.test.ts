import { injectIstio, IstioControlPlane, parseImage } from './istio';
import { decideLinkerd, injectLinkerd } from './linkerd';

// Which pods get injected is decided by the registered webhooks (webhooks.test.ts,
// e2e/kubectl-injection.test.ts); these are the injectors' mutations.

describe('istio injection', () => {
  const planes: IstioControlPlane[] = [
    {
      revision: 'default',
      namespace: 'istio-system',
      tag: '1.24.2',
      hub: 'docker.io/istio',
    },
  ];

  it('parses image references into hub, name and tag', () => {
    expect(parseImage('docker.io/istio/pilot:1.24.2')).toEqual({
      hub: 'docker.io/istio',
      name: 'pilot',
      tag: '1.24.2',
    });
    expect(parseImage('nginx')).toEqual({
      hub: 'docker.io/library',
      name: 'nginx',
      tag: 'latest',
    });
    expect(parseImage('localhost:5000/istio/pilot:1.2')).toEqual({
      hub: 'localhost:5000/istio',
      name: 'pilot',
      tag: '1.2',
    });
  });

  it('adds istio-init, istio-proxy and the metadata the injector sets', () => {
    const out = injectIstio(
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          generateName: 'web-abc-',
          labels: { app: 'web', version: 'v2' },
        },
        spec: { containers: [{ name: 'web', image: 'nginx' }] },
      },
      planes[0],
    );
    const spec = out.spec as {
      containers: { name: string; image: string }[];
      initContainers: { name: string }[];
      volumes: { name: string }[];
    };
    expect(spec.containers.map(c => c.name)).toEqual(['web', 'istio-proxy']);
    expect(spec.containers[1].image).toBe('docker.io/istio/proxyv2:1.24.2');
    expect(spec.initContainers.map(c => c.name)).toEqual(['istio-init']);
    expect(spec.volumes.map(v => v.name)).toContain('istio-envoy');
    expect(out.metadata!.labels).toMatchObject({
      'security.istio.io/tlsMode': 'istio',
      'service.istio.io/canonical-name': 'web',
      'service.istio.io/canonical-revision': 'v2',
      'istio.io/rev': 'default',
    });
    expect(
      JSON.parse(out.metadata!.annotations!['sidecar.istio.io/status']),
    ).toMatchObject({ revision: 'default', containers: ['istio-proxy'] });
  });
});

describe('linkerd injection decisions', () => {
  it('injects when the pod or namespace asks for it and a control plane exists', () => {
    const planes = [{ namespace: 'linkerd', version: 'stable-2.14.10' }];
    expect(
      decideLinkerd(
        { annotations: {}, containerNames: ['a'] },
        { 'linkerd.io/inject': 'enabled' },
        planes,
      ),
    ).toBe(planes[0]);
    expect(
      decideLinkerd(
        {
          annotations: { 'linkerd.io/inject': 'enabled' },
          containerNames: ['a'],
        },
        {},
        planes,
      ),
    ).toBe(planes[0]);
    expect(
      decideLinkerd(
        {
          annotations: { 'linkerd.io/inject': 'disabled' },
          containerNames: ['a'],
        },
        { 'linkerd.io/inject': 'enabled' },
        planes,
      ),
    ).toBeUndefined();
    expect(
      decideLinkerd(
        { annotations: {}, containerNames: ['a'] },
        { 'linkerd.io/inject': 'enabled' },
        [],
      ),
    ).toBeUndefined();
    expect(
      decideLinkerd({ annotations: {}, containerNames: ['a'] }, {}, planes),
    ).toBeUndefined();
    const out = injectLinkerd(
      {
        metadata: { namespace: 'books' },
        spec: { containers: [{ name: 'a', image: 'x' }] },
      },
      planes[0],
      'reader',
    );
    const spec = out.spec as {
      containers: { name: string; image: string }[];
      initContainers: { name: string }[];
    };
    expect(spec.containers.map(c => c.name)).toEqual(['linkerd-proxy', 'a']);
    expect(spec.containers[0].image).toBe(
      'cr.l5d.io/linkerd/proxy:stable-2.14.10',
    );
    expect(spec.initContainers.map(c => c.name)).toEqual(['linkerd-init']);
    expect(out.metadata!.annotations).toMatchObject({
      'linkerd.io/proxy-version': 'stable-2.14.10',
      'linkerd.io/created-by': 'linkerd/proxy-injector stable-2.14.10',
    });
    expect(out.metadata!.labels).toMatchObject({
      'linkerd.io/control-plane-ns': 'linkerd',
      'linkerd.io/proxy-deployment': 'reader',
    });
  });
});
