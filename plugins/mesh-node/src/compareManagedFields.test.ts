import { compareManagedFields } from './compareManagedFields';

const deployment = (image: string, replicas = 1) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: {
    name: 'istiod',
    namespace: 'istio-system',
    labels: { app: 'istiod' },
  },
  spec: {
    replicas,
    template: {
      spec: {
        containers: [
          { name: 'discovery', image, ports: [{ containerPort: 15010 }] },
        ],
      },
    },
  },
});

describe('compareManagedFields', () => {
  it('finds nothing when only server defaults, status and other managers were added', () => {
    const live = deployment('istio/pilot:1.24.2') as any;
    live.metadata.uid = 'u1';
    live.metadata.labels.team = 'platform';
    live.metadata.annotations = { 'deployment.kubernetes.io/revision': '1' };
    live.spec.strategy = { type: 'RollingUpdate' };
    live.spec.template.spec.containers[0].imagePullPolicy = 'IfNotPresent';
    // a sidecar injected in front of ours: lists with names match by name
    live.spec.template.spec.containers.unshift({
      name: 'istio-proxy',
      image: 'proxy',
    });
    live.status = { readyReplicas: 1 };
    expect(
      compareManagedFields(deployment('istio/pilot:1.24.2'), live),
    ).toEqual([]);
  });

  it('reports an edited image and replica count with paths addressing containers by name', () => {
    const live = deployment('istio/pilot:9.9.9', 3);
    expect(
      compareManagedFields(deployment('istio/pilot:1.24.2'), live),
    ).toEqual([
      { path: '/spec/replicas', desired: 1, live: 3 },
      {
        path: '/spec/template/spec/containers/discovery/image',
        desired: 'istio/pilot:1.24.2',
        live: 'istio/pilot:9.9.9',
      },
    ]);
  });

  it('reports a removed label and a removed container without a live value', () => {
    const live = deployment('istio/pilot:1.24.2') as any;
    delete live.metadata.labels.app;
    live.spec.template.spec.containers = [];
    expect(
      compareManagedFields(deployment('istio/pilot:1.24.2'), live),
    ).toEqual([
      { path: '/metadata/labels/app', desired: 'istiod' },
      {
        path: '/spec/template/spec/containers/discovery',
        desired:
          deployment('istio/pilot:1.24.2').spec.template.spec.containers[0],
      },
    ]);
  });

  it('treats unnamed lists atomically and int-or-string values by their text', () => {
    const desired = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 's' },
      spec: {
        ports: [{ port: 80, targetPort: 8080 }],
        externalIPs: ['1.2.3.4'],
      },
    };
    const same = {
      ...desired,
      spec: {
        ports: [{ port: 80, targetPort: '8080' }],
        externalIPs: ['1.2.3.4'],
      },
    };
    expect(compareManagedFields(desired, same)).toEqual([]);
    const changed = {
      ...desired,
      spec: { ...desired.spec, externalIPs: ['5.6.7.8'] },
    };
    expect(compareManagedFields(desired, changed)).toEqual([
      { path: '/spec/externalIPs', desired: ['1.2.3.4'], live: ['5.6.7.8'] },
    ]);
  });

  it('escapes JSON pointer segments in label keys', () => {
    const desired = {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'a', labels: { 'istio.io/rev': '1-24-2' } },
    };
    const live = {
      ...desired,
      metadata: { name: 'a', labels: { 'istio.io/rev': '1-23-4' } },
    };
    expect(compareManagedFields(desired, live)).toEqual([
      {
        path: '/metadata/labels/istio.io~1rev',
        desired: '1-24-2',
        live: '1-23-4',
      },
    ]);
  });
});

describe('compareManagedFields on atomic lists', () => {
  it('ignores fields the API server defaults inside unnamed list items (a webhook rule scope), not changed values', () => {
    const rule = {
      operations: ['CREATE'],
      apiGroups: [''],
      apiVersions: ['v1'],
      resources: ['pods'],
    };
    const desired = { webhooks: [{ name: 'w', rules: [rule] }] };
    expect(
      compareManagedFields(desired, {
        webhooks: [{ name: 'w', rules: [{ ...rule, scope: '*' }] }],
      }),
    ).toEqual([]);
    expect(
      compareManagedFields(desired, {
        webhooks: [
          { name: 'w', rules: [{ ...rule, resources: ['pods', 'services'] }] },
        ],
      }),
    ).toHaveLength(1);
  });
});
