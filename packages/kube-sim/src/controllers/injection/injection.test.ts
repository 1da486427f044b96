import { KubeObject } from '../../api/types';
import {
  decideIstio,
  findIstioControlPlanes,
  injectIstio,
  IstioControlPlane,
  parseImage,
} from './istio';
import {
  decideLinkerd,
  findLinkerdControlPlanes,
  injectLinkerd,
} from './linkerd';

const istiod = (ns: string, image: string, rev?: string): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: {
    name: rev ? `istiod-${rev}` : 'istiod',
    namespace: ns,
    labels: { app: 'istiod', ...(rev ? { 'istio.io/rev': rev } : {}) },
  },
  spec: { template: { spec: { containers: [{ name: 'discovery', image }] } } },
});

const pod = (
  labels: Record<string, string> = {},
  annotations: Record<string, string> = {},
) => ({
  labels,
  annotations,
  namespaceLabels: {} as Record<string, string>,
  containerNames: ['app'],
});

describe('istio injection decisions', () => {
  const planes: IstioControlPlane[] = findIstioControlPlanes([
    istiod('istio-system', 'docker.io/istio/pilot:1.24.2'),
    istiod('istio-system', 'gcr.io/istio-release/pilot:1.25.0', 'canary'),
  ]);

  it('finds control planes and their versions', () => {
    expect(planes).toEqual([
      {
        revision: 'default',
        namespace: 'istio-system',
        tag: '1.24.2',
        hub: 'docker.io/istio',
      },
      {
        revision: 'canary',
        namespace: 'istio-system',
        tag: '1.25.0',
        hub: 'gcr.io/istio-release',
      },
    ]);
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

  it('follows namespace and pod labels', () => {
    expect(
      decideIstio(
        { ...pod(), namespaceLabels: { 'istio-injection': 'enabled' } },
        planes,
      )?.revision,
    ).toBe('default');
    expect(
      decideIstio(
        { ...pod(), namespaceLabels: { 'istio.io/rev': 'canary' } },
        planes,
      )?.revision,
    ).toBe('canary');
    expect(
      decideIstio(pod({ 'istio.io/rev': 'canary' }), planes)?.revision,
    ).toBe('canary');
    expect(
      decideIstio(pod({ 'sidecar.istio.io/inject': 'true' }), planes)?.revision,
    ).toBe('default');
    expect(decideIstio(pod(), planes)).toBeUndefined();
  });

  it('respects opt-outs, missing control planes and already injected pods', () => {
    const enabled = { 'istio-injection': 'enabled' };
    expect(
      decideIstio(
        {
          ...pod({ 'sidecar.istio.io/inject': 'false' }),
          namespaceLabels: enabled,
        },
        planes,
      ),
    ).toBeUndefined();
    expect(
      decideIstio(
        {
          ...pod({}, { 'sidecar.istio.io/inject': 'false' }),
          namespaceLabels: enabled,
        },
        planes,
      ),
    ).toBeUndefined();
    expect(
      decideIstio(
        { ...pod(), namespaceLabels: { 'istio-injection': 'disabled' } },
        planes,
      ),
    ).toBeUndefined();
    expect(
      decideIstio(
        { ...pod(), namespaceLabels: { 'istio.io/rev': 'stable' } },
        planes,
      ),
    ).toBeUndefined();
    expect(
      decideIstio({ ...pod(), namespaceLabels: enabled }, []),
    ).toBeUndefined();
    expect(
      decideIstio(
        {
          ...pod(),
          containerNames: ['app', 'istio-proxy'],
          namespaceLabels: enabled,
        },
        planes,
      ),
    ).toBeUndefined();
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
  const cp: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'linkerd-destination', namespace: 'linkerd' },
    spec: {
      template: {
        spec: {
          containers: [
            {
              name: 'destination',
              image: 'cr.l5d.io/linkerd/controller:edge-24.11.8',
            },
          ],
        },
      },
    },
  };

  it('finds a control plane by namespace name or label, versioned by label or image tag', () => {
    expect(findLinkerdControlPlanes([cp], () => ({}))).toEqual([
      { namespace: 'linkerd', version: 'edge-24.11.8' },
    ]);
    const elsewhere = {
      ...cp,
      metadata: {
        ...cp.metadata,
        namespace: 'mesh',
        labels: { 'linkerd.io/control-plane-version': 'stable-2.14.10' },
      },
    } as KubeObject;
    expect(findLinkerdControlPlanes([elsewhere], () => ({}))).toEqual([]);
    expect(
      findLinkerdControlPlanes([elsewhere], () => ({
        'linkerd.io/is-control-plane': 'true',
      })),
    ).toEqual([{ namespace: 'mesh', version: 'stable-2.14.10' }]);
    expect(findLinkerdControlPlanes([cp], () => undefined)).toEqual([]);
  });

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
