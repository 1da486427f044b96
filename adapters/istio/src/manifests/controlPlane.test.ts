import type { PlanObject } from '@meshstage/plugin-mesh-common';
import {
  renderIstioControlPlane,
  renderIstioRevisionTag,
} from './controlPlane';

const find = (objects: PlanObject[], kind: string, name?: string) =>
  objects.find(
    o => o.kind === kind && (!name || o.metadata.name === name),
  ) as any;

describe('renderIstioControlPlane', () => {
  it.each(['1.23.4', '1.24.2'])(
    'renders istiod %s from docker.io/istio/pilot, never injected itself',
    version => {
      const objects = renderIstioControlPlane({ version });
      const istiod = find(objects, 'Deployment', 'istiod');
      expect(istiod.metadata.namespace).toBe('istio-system');
      expect(istiod.metadata.labels).toMatchObject({
        app: 'istiod',
        'istio.io/rev': 'default',
      });
      expect(istiod.spec.template.spec.containers[0]).toMatchObject({
        name: 'discovery',
        image: `docker.io/istio/pilot:${version}`,
      });
      expect(
        istiod.spec.template.metadata.annotations['sidecar.istio.io/inject'],
      ).toBe('false');
      expect(istiod.spec.replicas).toBe(2);
    },
  );

  it('renders objects in apply order: namespace, CRDs, RBAC, config, deployment, service, webhook', () => {
    const kinds = renderIstioControlPlane({ version: '1.24.2' }).map(
      o => o.kind,
    );
    const order = [
      'Namespace',
      'CustomResourceDefinition',
      'ServiceAccount',
      'ClusterRole',
      'ClusterRoleBinding',
      'ConfigMap',
      'Deployment',
      'Service',
      'MutatingWebhookConfiguration',
    ];
    const firstIndex = order.map(k => kinds.indexOf(k));
    expect(firstIndex.every(i => i >= 0)).toBe(true);
    expect([...firstIndex].sort((a, b) => a - b)).toEqual(firstIndex);
  });

  it('ships structural CRDs for every kind the validator reads', () => {
    const crds = renderIstioControlPlane({ version: '1.23.4' }).filter(
      o => o.kind === 'CustomResourceDefinition',
    ) as any[];
    expect(crds.map(c => c.spec.names.kind).sort()).toEqual([
      'AuthorizationPolicy',
      'DestinationRule',
      'Gateway',
      'PeerAuthentication',
      'RequestAuthentication',
      'ServiceEntry',
      'Sidecar',
      'VirtualService',
    ]);
    for (const crd of crds) {
      expect(crd.apiVersion).toBe('apiextensions.k8s.io/v1');
      expect(crd.spec.versions.filter((v: any) => v.storage)).toHaveLength(1);
      expect(
        crd.spec.versions[0].schema.openAPIV3Schema.properties.spec[
          'x-kubernetes-preserve-unknown-fields'
        ],
      ).toBe(true);
    }
    expect(
      find(
        crds,
        'CustomResourceDefinition',
        'virtualservices.networking.istio.io',
      ).spec.versions.map((v: any) => v.name),
    ).toContain('v1');
  });

  it('names every per-revision object after the revision and selects istio.io/rev namespaces', () => {
    const objects = renderIstioControlPlane({
      version: '1.24.2',
      revision: '1-24-2',
    });
    expect(find(objects, 'Deployment').metadata.name).toBe('istiod-1-24-2');
    expect(find(objects, 'Deployment').metadata.labels['istio.io/rev']).toBe(
      '1-24-2',
    );
    expect(find(objects, 'Service').metadata.name).toBe('istiod-1-24-2');
    expect(
      objects.filter(o => o.kind === 'ConfigMap').map(o => o.metadata.name),
    ).toEqual([
      'values-1-24-2',
      'istio-1-24-2',
      'istio-sidecar-injector-1-24-2',
    ]);
    const webhook = find(objects, 'MutatingWebhookConfiguration');
    expect(webhook.metadata.name).toBe('istio-sidecar-injector-1-24-2');
    expect(webhook.webhooks.map((w: any) => w.name)).toEqual([
      'rev.namespace.sidecar-injector.istio.io',
      'rev.object.sidecar-injector.istio.io',
    ]);
    expect(webhook.webhooks[0].clientConfig.service.name).toBe('istiod-1-24-2');
    expect(webhook.webhooks[0].namespaceSelector.matchExpressions).toEqual([
      { key: 'istio.io/rev', operator: 'In', values: ['1-24-2'] },
      { key: 'istio-injection', operator: 'DoesNotExist' },
    ]);
  });

  it.each([
    ['1.29.6', 'docker.io/istio'],
    ['1.30.3', 'registry.istio.io/release'],
  ])('renders Istio %s from %s (the hub moved in 1.30)', (version, hub) => {
    const objects = renderIstioControlPlane({ version });
    expect(
      find(objects, 'Deployment').spec.template.spec.containers[0].image,
    ).toBe(`${hub}/pilot:${version}`);
    const values = JSON.parse(
      find(objects, 'ConfigMap', 'istio-sidecar-injector').data.values,
    );
    expect(values.global).toMatchObject({
      hub,
      tag: version,
      proxy: { image: 'proxyv2' },
    });
  });

  it('renders revision tags as the chart does: the default tag also answers istio-injection=enabled', () => {
    const [service, webhook] = renderIstioRevisionTag({
      tag: 'default',
      revision: '1-30-3',
      version: '1.30.3',
    }) as any[];
    expect(service.metadata.name).toBe('istiod-revision-tag-default');
    expect(service.spec.selector).toEqual({
      app: 'istiod',
      'istio.io/rev': '1-30-3',
    });
    expect(webhook.metadata).toMatchObject({
      name: 'istio-revision-tag-default',
      labels: { 'istio.io/tag': 'default', 'istio.io/rev': '1-30-3' },
    });
    expect(webhook.webhooks.map((w: any) => w.name)).toEqual([
      'rev.namespace.sidecar-injector.istio.io',
      'rev.object.sidecar-injector.istio.io',
      'namespace.sidecar-injector.istio.io',
      'object.sidecar-injector.istio.io',
    ]);
    expect(
      new Set(webhook.webhooks.map((w: any) => w.clientConfig.service.name)),
    ).toEqual(new Set(['istiod-1-30-3']));
    const named = renderIstioRevisionTag({
      tag: 'prod-stable',
      revision: '1-30-3',
      version: '1.30.3',
    })[1] as any;
    expect(named.webhooks.map((w: any) => w.name)).toEqual([
      'rev.namespace.sidecar-injector.istio.io',
      'rev.object.sidecar-injector.istio.io',
    ]);
    expect(named.webhooks[0].namespaceSelector.matchExpressions[0]).toEqual({
      key: 'istio.io/rev',
      operator: 'In',
      values: ['prod-stable'],
    });
  });

  it('selects istio-injection=enabled namespaces for the default revision', () => {
    const webhook = find(
      renderIstioControlPlane({ version: '1.23.4' }),
      'MutatingWebhookConfiguration',
    );
    expect(webhook.metadata.name).toBe('istio-sidecar-injector');
    const legacy = webhook.webhooks.find(
      (w: any) => w.name === 'namespace.sidecar-injector.istio.io',
    );
    expect(legacy.namespaceSelector).toEqual({
      matchExpressions: [
        { key: 'istio-injection', operator: 'In', values: ['enabled'] },
      ],
    });
    expect(webhook.webhooks).toHaveLength(4);
  });

  it('applies profile and values', () => {
    const objects = renderIstioControlPlane({
      version: '1.24.2',
      profile: 'minimal',
      values: { accessLogFile: '/dev/stdout' },
    });
    expect(find(objects, 'Deployment').spec.replicas).toBe(1);
    expect(
      JSON.parse(find(objects, 'ConfigMap', 'istio').data.mesh),
    ).toMatchObject({
      accessLogFile: '/dev/stdout',
      rootNamespace: 'istio-system',
    });
  });

  it('rejects unsupported versions and profiles with the choices', () => {
    expect(() => renderIstioControlPlane({ version: '1.20.0' })).toThrow(
      'supported versions: 1.23.4, 1.24.2, 1.29.6, 1.30.3',
    );
    expect(() =>
      renderIstioControlPlane({ version: '1.24.2', profile: 'ambient' }),
    ).toThrow("Unknown Istio profile 'ambient'");
  });
});
