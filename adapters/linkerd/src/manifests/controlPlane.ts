import type { PlanObject } from '@meshstage/plugin-mesh-common';
import {
  CONTROL_PLANE_NAMESPACE_LABEL,
  CONVENTIONAL_NAMESPACE,
  VERSION_LABEL,
} from '../constants';
import { LINKERD_SUPPORTED_VERSIONS } from '../versions';

/** Image repository of Linkerd's control plane and proxy. */
export const LINKERD_REGISTRY = 'cr.l5d.io/linkerd';

/** Options of {@link renderLinkerdControlPlane}. */
export interface LinkerdRenderOptions {
  /** One of {@link LINKERD_SUPPORTED_VERSIONS}, e.g. `stable-2.14.10`. */
  version: string;
  /** `default` (1 replica each) or `ha` (3 replicas each); other names are rejected. */
  profile?: string;
  /** Merged into the `linkerd-config` ConfigMap's `values`, e.g. `{ proxy: { logLevel: 'debug' } }`. */
  values?: Record<string, unknown>;
}

const PROFILES: Record<string, { replicas: number }> = {
  default: { replicas: 1 },
  ha: { replicas: 3 },
};

const preserve = {
  type: 'object',
  'x-kubernetes-preserve-unknown-fields': true,
};

// The policy CRDs the validator and status read, with their served versions (storage first).
const POLICY_CRDS = [
  { kind: 'Server', plural: 'servers', versions: ['v1beta1', 'v1alpha1'] },
  {
    kind: 'ServerAuthorization',
    plural: 'serverauthorizations',
    versions: ['v1beta1', 'v1alpha1'],
  },
  {
    kind: 'HTTPRoute',
    plural: 'httproutes',
    versions: ['v1beta3', 'v1beta2', 'v1beta1', 'v1alpha1'],
  },
  {
    kind: 'AuthorizationPolicy',
    plural: 'authorizationpolicies',
    versions: ['v1alpha1'],
  },
];

/** The objects every Linkerd version shares and uninstall removes last: namespace and CRDs. */
export function isSharedLinkerdObject(object: PlanObject): boolean {
  return (
    object.kind === 'Namespace' || object.kind === 'CustomResourceDefinition'
  );
}

/** The control-plane Deployments, in the order Linkerd starts them (identity issues certificates the others need). */
export const LINKERD_DEPLOYMENT_ORDER = [
  'linkerd-identity',
  'linkerd-destination',
  'linkerd-proxy-injector',
] as const;

const IMAGES: Record<(typeof LINKERD_DEPLOYMENT_ORDER)[number], string> = {
  'linkerd-identity': 'controller',
  'linkerd-destination': 'controller',
  'linkerd-proxy-injector': 'controller',
};

/**
 * Renders Linkerd's control plane for one version, in apply order: namespace, policy CRDs,
 * RBAC, config, the identity, destination and proxy-injector Deployments with their Services,
 * and the injector webhook. Pure: no I/O.
 *
 * @remarks
 * A subset of `linkerd install`: no trust-anchor generation (identity uses the cluster's
 * issuer secret), no viz. Production clusters that need those should install with the Linkerd
 * CLI or Helm and let MeshStage detect and onboard.
 */
export function renderLinkerdControlPlane(
  options: LinkerdRenderOptions,
): PlanObject[] {
  const { version } = options;
  if (!LINKERD_SUPPORTED_VERSIONS.includes(version)) {
    throw new Error(
      `Linkerd ${version} is not supported; supported versions: ${LINKERD_SUPPORTED_VERSIONS.join(
        ', ',
      )}`,
    );
  }
  const profileName = options.profile ?? 'default';
  const profile = PROFILES[profileName];
  if (!profile) {
    throw new Error(
      `Unknown Linkerd profile '${profileName}'; known profiles: ${Object.keys(
        PROFILES,
      ).join(', ')}`,
    );
  }
  const ns = CONVENTIONAL_NAMESPACE;
  const labels = {
    'linkerd.io/control-plane-ns': ns,
    [VERSION_LABEL]: version,
    'app.kubernetes.io/managed-by': 'meshstage',
  };

  const crds: PlanObject[] = POLICY_CRDS.map(crd => ({
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: {
      name: `${crd.plural}.policy.linkerd.io`,
      labels: { 'linkerd.io/control-plane-ns': ns, [VERSION_LABEL]: version },
    },
    spec: {
      group: 'policy.linkerd.io',
      scope: 'Namespaced',
      names: {
        kind: crd.kind,
        listKind: `${crd.kind}List`,
        plural: crd.plural,
        singular: crd.kind.toLowerCase(),
      },
      versions: crd.versions.map((name, i) => ({
        name,
        served: true,
        storage: i === 0,
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: { spec: preserve, status: preserve },
          },
        },
      })),
    },
  }));

  const components = LINKERD_DEPLOYMENT_ORDER.flatMap((name): PlanObject[] => {
    const component = name.replace(/^linkerd-/, '');
    const podLabels = {
      'linkerd.io/control-plane-component': component,
      'linkerd.io/control-plane-ns': ns,
    };
    return [
      {
        apiVersion: 'v1',
        kind: 'ServiceAccount',
        metadata: { name, namespace: ns, labels },
      },
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: {
          name,
          namespace: ns,
          labels: {
            ...labels,
            'linkerd.io/control-plane-component': component,
          },
        },
        spec: {
          replicas: profile.replicas,
          selector: { matchLabels: podLabels },
          template: {
            metadata: {
              labels: {
                ...podLabels,
                [VERSION_LABEL]: version,
                'linkerd.io/workload-ns': ns,
              },
              annotations: {
                'linkerd.io/created-by': `meshstage/linkerd ${version}`,
              },
            },
            spec: {
              serviceAccountName: name,
              containers: [
                {
                  name: component,
                  image: `${LINKERD_REGISTRY}/${IMAGES[name]}:${version}`,
                  args: [
                    component,
                    '-log-level=info',
                    `-controller-namespace=${ns}`,
                  ],
                  ports: [{ containerPort: 9990, name: 'admin-http' }],
                  readinessProbe: { httpGet: { path: '/ready', port: 9990 } },
                },
              ],
            },
          },
        },
      },
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: {
          name: component === 'destination' ? 'linkerd-dst' : name,
          namespace: ns,
          labels,
        },
        spec: {
          selector: podLabels,
          ports:
            component === 'proxy-injector'
              ? [{ name: 'proxy-injector', port: 443, targetPort: 8443 }]
              : [{ name: 'grpc', port: 8086, targetPort: 8086 }],
        },
      },
    ];
  });

  return [
    {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: ns,
        labels: {
          [CONTROL_PLANE_NAMESPACE_LABEL]: 'true',
          'config.linkerd.io/admission-webhooks': 'disabled',
          'app.kubernetes.io/managed-by': 'meshstage',
        },
        // The control plane injects its own proxies at install time, not through its webhook.
        annotations: { 'linkerd.io/inject': 'disabled' },
      },
    },
    ...crds,
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: `linkerd-${ns}-control-plane`, labels },
      rules: [
        {
          apiGroups: [''],
          resources: ['pods', 'services', 'endpoints', 'namespaces', 'nodes'],
          verbs: ['get', 'list', 'watch'],
        },
        {
          apiGroups: ['discovery.k8s.io'],
          resources: ['endpointslices'],
          verbs: ['get', 'list', 'watch'],
        },
        {
          apiGroups: ['policy.linkerd.io'],
          resources: ['*'],
          verbs: ['get', 'list', 'watch'],
        },
        {
          apiGroups: ['authentication.k8s.io'],
          resources: ['tokenreviews'],
          verbs: ['create'],
        },
        {
          apiGroups: ['apps'],
          resources: [
            'replicasets',
            'deployments',
            'statefulsets',
            'daemonsets',
          ],
          verbs: ['get', 'list', 'watch'],
        },
      ],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: `linkerd-${ns}-control-plane`, labels },
      roleRef: {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'ClusterRole',
        name: `linkerd-${ns}-control-plane`,
      },
      subjects: LINKERD_DEPLOYMENT_ORDER.map(name => ({
        kind: 'ServiceAccount',
        name,
        namespace: ns,
      })),
    },
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'linkerd-config', namespace: ns, labels },
      data: {
        values: JSON.stringify(
          {
            linkerdVersion: version,
            controllerImage: `${LINKERD_REGISTRY}/controller`,
            proxy: { image: { name: `${LINKERD_REGISTRY}/proxy`, version } },
            identityTrustDomain: 'cluster.local',
            ...options.values,
          },
          null,
          2,
        ),
      },
    },
    ...components,
    {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'MutatingWebhookConfiguration',
      metadata: { name: 'linkerd-proxy-injector-webhook-config', labels },
      webhooks: [
        {
          name: 'linkerd-proxy-injector.linkerd.io',
          admissionReviewVersions: ['v1', 'v1beta1'],
          sideEffects: 'None',
          failurePolicy: 'Ignore',
          clientConfig: {
            service: {
              name: 'linkerd-proxy-injector',
              namespace: ns,
              path: '/',
            },
          },
          rules: [
            {
              apiGroups: [''],
              apiVersions: ['v1'],
              operations: ['CREATE'],
              resources: ['pods', 'services'],
              scope: 'Namespaced',
            },
          ],
          // Never the control plane's own namespace, nor namespaces that opt out of webhooks.
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
        },
      ],
    },
  ];
}
