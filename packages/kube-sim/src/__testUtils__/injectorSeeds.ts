import { stringify } from 'yaml';

/**
 * What a mesh's injector needs on kube-sim, shaped as the vendors' charts (and MeshStage's
 * built-in renderers) render it: the injector's Service, its configuration ConfigMap, and the
 * MutatingWebhookConfiguration that sends pod creations to it. kube-sim injects only through
 * registered webhooks, so tests that seed a control plane by hand seed these too.
 */

const podRules = [
  {
    operations: ['CREATE'],
    apiGroups: [''],
    apiVersions: ['v1'],
    resources: ['pods'],
  },
];

const docs = (objects: object[]) =>
  objects.map(o => stringify(o)).join('---\n');

/**
 * Istio's injector for one revision (`default`: Service `istiod`, ConfigMap and webhook
 * configuration `istio-sidecar-injector`; else suffixed `-<rev>`), as Istio's `istiod` chart
 * renders them: the default revision answers `istio-injection=enabled`, `istio.io/rev=default`
 * and `sidecar.istio.io/inject=true` pods; a named one `istio.io/rev=<rev>` on the namespace or
 * the pod.
 */
export function istioInjectorObjects(options: {
  revision?: string;
  hub?: string;
  tag: string;
  namespace?: string;
}): object[] {
  const ns = options.namespace ?? 'istio-system';
  const rev = options.revision ?? 'default';
  const isDefault = rev === 'default';
  const suffix = isDefault ? '' : `-${rev}`;
  const service = `istiod${suffix}`;
  const selector = isDefault
    ? { app: 'istiod', istio: 'pilot' }
    : { app: 'istiod', 'istio.io/rev': rev };
  const optOut = {
    key: 'sidecar.istio.io/inject',
    operator: 'NotIn',
    values: ['false'],
  };
  const webhook = (
    name: string,
    namespaceSelector: object,
    objectSelector: object,
  ) => ({
    name,
    clientConfig: {
      service: { name: service, namespace: ns, path: '/inject', port: 443 },
    },
    sideEffects: 'None',
    rules: podRules,
    failurePolicy: 'Fail',
    reinvocationPolicy: 'Never',
    admissionReviewVersions: ['v1'],
    namespaceSelector,
    objectSelector,
  });
  const webhooks = [
    webhook(
      'rev.namespace.sidecar-injector.istio.io',
      {
        matchExpressions: [
          { key: 'istio.io/rev', operator: 'In', values: [rev] },
          { key: 'istio-injection', operator: 'DoesNotExist' },
        ],
      },
      { matchExpressions: [optOut] },
    ),
    webhook(
      'rev.object.sidecar-injector.istio.io',
      {
        matchExpressions: [
          { key: 'istio.io/rev', operator: 'DoesNotExist' },
          { key: 'istio-injection', operator: 'DoesNotExist' },
        ],
      },
      {
        matchExpressions: [
          optOut,
          { key: 'istio.io/rev', operator: 'In', values: [rev] },
        ],
      },
    ),
  ];
  if (isDefault) {
    webhooks.push(
      webhook(
        'namespace.sidecar-injector.istio.io',
        {
          matchExpressions: [
            { key: 'istio-injection', operator: 'In', values: ['enabled'] },
          ],
        },
        { matchExpressions: [optOut] },
      ),
      webhook(
        'object.sidecar-injector.istio.io',
        {
          matchExpressions: [
            { key: 'istio-injection', operator: 'DoesNotExist' },
            { key: 'istio.io/rev', operator: 'DoesNotExist' },
          ],
        },
        {
          matchExpressions: [
            {
              key: 'sidecar.istio.io/inject',
              operator: 'In',
              values: ['true'],
            },
            { key: 'istio.io/rev', operator: 'DoesNotExist' },
          ],
        },
      ),
    );
  }
  return [
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        name: service,
        namespace: ns,
        labels: { ...selector, 'istio.io/rev': rev },
      },
      spec: {
        selector,
        ports: [
          { name: 'grpc-xds', port: 15010, protocol: 'TCP' },
          { name: 'https-dns', port: 15012, protocol: 'TCP' },
          {
            name: 'https-webhook',
            port: 443,
            targetPort: 15017,
            protocol: 'TCP',
          },
        ],
      },
    },
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: `istio-sidecar-injector${suffix}`,
        namespace: ns,
        labels: { 'istio.io/rev': rev },
      },
      data: {
        values: JSON.stringify({
          global: {
            hub: options.hub ?? 'docker.io/istio',
            tag: options.tag,
            istioNamespace: ns,
            proxy: { image: 'proxyv2' },
            proxy_init: { image: 'proxyv2' },
          },
          revision: isDefault ? '' : rev,
        }),
        config: JSON.stringify({
          defaultTemplates: ['sidecar'],
          policy: 'enabled',
          alwaysInjectSelector: [],
          neverInjectSelector: [],
        }),
      },
    },
    {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'MutatingWebhookConfiguration',
      metadata: {
        name: `istio-sidecar-injector${suffix}`,
        labels: { 'istio.io/rev': rev, app: 'sidecar-injector' },
      },
      webhooks,
    },
  ];
}

/** {@link istioInjectorObjects} as a multi-document YAML for `kubectl apply -f -`. */
export const istioInjectorYaml = (
  options: Parameters<typeof istioInjectorObjects>[0],
) => docs(istioInjectorObjects(options));

/**
 * Linkerd's proxy injector as the `linkerd-control-plane` chart renders it: Service
 * `linkerd-proxy-injector`, ConfigMap `linkerd-config` (`values`: version and images) and the
 * webhook configuration, with its namespace and object exclusions.
 */
export function linkerdInjectorObjects(options: {
  version: string;
  namespace?: string;
}): object[] {
  const ns = options.namespace ?? 'linkerd';
  const stable = options.version.startsWith('stable-');
  const cp = { 'linkerd.io/control-plane-ns': ns };
  return [
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        name: 'linkerd-proxy-injector',
        namespace: ns,
        labels: {
          ...cp,
          'linkerd.io/control-plane-component': 'proxy-injector',
        },
      },
      spec: {
        selector: { 'linkerd.io/control-plane-component': 'proxy-injector' },
        ports: [
          {
            name: 'proxy-injector',
            port: 443,
            targetPort: 'proxy-injector',
          },
        ],
      },
    },
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'linkerd-config',
        namespace: ns,
        labels: { ...cp, 'linkerd.io/control-plane-component': 'controller' },
      },
      data: {
        values: stringify({
          linkerdVersion: options.version,
          identityTrustAnchorsPEM: '',
          proxy: { image: { name: 'cr.l5d.io/linkerd/proxy', version: '' } },
          ...(stable
            ? {
                proxyInit: {
                  image: {
                    name: 'cr.l5d.io/linkerd/proxy-init',
                    version: 'v2.2.3',
                  },
                },
              }
            : {}),
        }),
      },
    },
    {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'MutatingWebhookConfiguration',
      metadata: {
        name: 'linkerd-proxy-injector-webhook-config',
        labels: {
          ...cp,
          'linkerd.io/control-plane-component': 'proxy-injector',
        },
      },
      webhooks: [
        {
          name: 'linkerd-proxy-injector.linkerd.io',
          namespaceSelector: {
            matchExpressions: [
              {
                key: 'config.linkerd.io/admission-webhooks',
                operator: 'NotIn',
                values: ['disabled'],
              },
              {
                key: 'kubernetes.io/metadata.name',
                operator: 'NotIn',
                values: ['kube-system', 'cert-manager'],
              },
            ],
          },
          objectSelector: {
            matchExpressions: [
              {
                key: 'linkerd.io/control-plane-component',
                operator: 'DoesNotExist',
              },
              { key: 'linkerd.io/cni-resource', operator: 'DoesNotExist' },
            ],
          },
          clientConfig: {
            service: {
              name: 'linkerd-proxy-injector',
              namespace: ns,
              path: '/',
            },
          },
          failurePolicy: 'Ignore',
          admissionReviewVersions: ['v1', 'v1beta1'],
          rules: [
            {
              operations: ['CREATE'],
              apiGroups: [''],
              apiVersions: ['v1'],
              resources: ['pods', 'services'],
            },
          ],
          sideEffects: 'None',
          timeoutSeconds: 10,
        },
      ],
    },
  ];
}

/** {@link linkerdInjectorObjects} as a multi-document YAML for `kubectl apply -f -`. */
export const linkerdInjectorYaml = (
  options: Parameters<typeof linkerdInjectorObjects>[0],
) => docs(linkerdInjectorObjects(options));
