import { createHash } from 'node:crypto';
import type { PlanObject } from '@meshstage/plugin-mesh-common';
import {
  CONTROL_PLANE_NAMESPACE_LABEL,
  CONVENTIONAL_NAMESPACE,
  VERSION_LABEL,
} from '../constants';
import { LINKERD_SUPPORTED_VERSIONS } from '../versions';

/** Image repository of Linkerd's control plane and proxy. */
export const LINKERD_REGISTRY = 'cr.l5d.io/linkerd';

/** The ConfigMap holding the identity trust roots (key `ca-bundle.crt`), as the chart mounts it. */
export const TRUST_ROOTS_CONFIG_MAP = 'linkerd-identity-trust-roots';
/** The Secret holding the identity issuer (type kubernetes.io/tls: tls.crt, tls.key, ca.crt). */
export const ISSUER_SECRET = 'linkerd-identity-issuer';

/** Options of {@link renderLinkerdControlPlane}. */
export interface LinkerdRenderOptions {
  /** One of {@link LINKERD_SUPPORTED_VERSIONS}, e.g. `edge-26.8.3`. */
  version: string;
  /** `default` (1 replica each) or `ha` (3 replicas each); other names are rejected. */
  profile?: string;
  /** Merged into the `linkerd-config` ConfigMap's `values`, e.g. `{ proxy: { logLevel: 'debug' } }`. */
  values?: Record<string, unknown>;
  /**
   * The identity trust anchors (PEM): written to `linkerd-config`'s `identityTrustAnchorsPEM`, the
   * `linkerd-identity-trust-roots` ConfigMap and the pods' `linkerd.io/trust-root-sha256`. Absent:
   * empty, as the chart renders with an external CA and no anchors.
   */
  trustAnchorsPEM?: string;
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

/** stable-2.x releases ship a separate proxy-init and policy-controller image; edge releases do not. */
function isStable(version: string) {
  return version.startsWith('stable-');
}

/**
 * Whether the control plane's own proxies run as native sidecars (init containers with
 * `restartPolicy: Always`), as the edge-26 charts render them; stable-2.14 and edge-24 put the
 * proxy first among the containers.
 */
function nativeSidecars(version: string) {
  const m = /^edge-(\d+)\./.exec(version);
  return !!m && Number(m[1]) >= 25;
}

function requireVersion(version: string) {
  if (!LINKERD_SUPPORTED_VERSIONS.includes(version)) {
    throw new Error(
      `Linkerd ${version} is not supported; supported versions: ${LINKERD_SUPPORTED_VERSIONS.join(
        ', ',
      )}`,
    );
  }
}

/** The proxy and proxy-init images a version injects (what `linkerd-config` tells the injector). */
export function linkerdProxyImages(version: string): {
  proxy: string;
  init: string;
} {
  const proxy = `${LINKERD_REGISTRY}/proxy:${version}`;
  return {
    proxy,
    init: isStable(version) ? `${LINKERD_REGISTRY}/proxy-init:v2.2.3` : proxy,
  };
}

/** sha256 of the trust anchors, as the chart writes `linkerd.io/trust-root-sha256`. */
export function trustRootSha256(pem: string): string {
  return createHash('sha256').update(pem).digest('hex');
}

/** The `values` of `linkerd-config` that the injector and MeshStage read (the chart writes all its values). */
function configValues(
  version: string,
  trustAnchorsPEM: string,
  values?: Record<string, unknown>,
) {
  return {
    clusterDomain: 'cluster.local',
    controllerImage: `${LINKERD_REGISTRY}/controller`,
    controllerImageVersion: '',
    // The heartbeat CronJob is not rendered, so say so as the chart does when it is turned off
    // (linkerd check then expects no heartbeat ServiceAccount).
    disableHeartBeat: true,
    heartbeatSchedule: '0 0 * * *',
    identity: {
      externalCA: true,
      issuer: {
        clockSkewAllowance: '20s',
        issuanceLifetime: '24h0m0s',
        scheme: 'kubernetes.io/tls',
        tls: { crtPEM: '' },
      },
    },
    identityTrustAnchorsPEM: trustAnchorsPEM,
    identityTrustDomain: 'cluster.local',
    linkerdVersion: version,
    policyController: {
      defaultAllowPolicy: 'all-unauthenticated',
      ...(isStable(version)
        ? {
            image: {
              name: `${LINKERD_REGISTRY}/policy-controller`,
              version: '',
            },
          }
        : {}),
    },
    proxy: {
      image: { name: `${LINKERD_REGISTRY}/proxy`, pullPolicy: '', version: '' },
      logLevel:
        'warn,linkerd=info,hickory=error,linkerd_proxy_http::client[{headers}]=off',
    },
    proxyInit: {
      ...(isStable(version)
        ? {
            image: {
              name: `${LINKERD_REGISTRY}/proxy-init`,
              pullPolicy: '',
              version: 'v2.2.3',
            },
          }
        : {}),
      xtMountPath: {
        mountPath: '/run',
        name: 'linkerd-proxy-init-xtables-lock',
      },
    },
    proxyInjector: {
      externalSecret: true,
      injectCaFrom: `${CONVENTIONAL_NAMESPACE}/linkerd-proxy-injector`,
    },
    webhookFailurePolicy: 'Ignore',
    ...values,
  };
}

interface ContainerSpec {
  name: string;
  image: string;
  ports?: Array<{ containerPort: number; name: string }>;
  args?: string[];
}

/** The containers of one control-plane pod, laid out as the version's chart lays them out. */
function podContainers(
  component: 'identity' | 'destination' | 'proxy-injector',
  version: string,
): { initContainers: ContainerSpec[]; containers: ContainerSpec[] } {
  const controller = `${LINKERD_REGISTRY}/controller:${version}`;
  const images = linkerdProxyImages(version);
  const ns = CONVENTIONAL_NAMESPACE;
  const proxy: ContainerSpec = {
    name: 'linkerd-proxy',
    image: images.proxy,
    ports: [
      { containerPort: 4143, name: 'linkerd-proxy' },
      { containerPort: 4191, name: 'linkerd-admin' },
    ],
  };
  const init: ContainerSpec = { name: 'linkerd-init', image: images.init };
  const main: ContainerSpec[] =
    component === 'destination'
      ? [
          {
            name: 'destination',
            image: controller,
            args: [
              'destination',
              '-log-level=info',
              `-controller-namespace=${ns}`,
            ],
            ports: [
              { containerPort: 8086, name: 'dest-grpc' },
              { containerPort: 9996, name: 'dest-admin' },
            ],
          },
          {
            name: 'sp-validator',
            image: controller,
            args: ['sp-validator', '-log-level=info'],
            ports: [
              { containerPort: 8443, name: 'sp-validator' },
              { containerPort: 9997, name: 'spval-admin' },
            ],
          },
          {
            name: 'policy',
            image: isStable(version)
              ? `${LINKERD_REGISTRY}/policy-controller:${version}`
              : controller,
            ports: [
              { containerPort: 8090, name: 'policy-grpc' },
              { containerPort: 9990, name: 'policy-admin' },
              { containerPort: 9443, name: 'policy-https' },
            ],
          },
        ]
      : [
          {
            name: component,
            image: controller,
            args: [component, '-log-level=info', `-controller-namespace=${ns}`],
            ports:
              component === 'identity'
                ? [
                    { containerPort: 8080, name: 'ident-grpc' },
                    { containerPort: 9990, name: 'ident-admin' },
                  ]
                : [
                    { containerPort: 8443, name: 'proxy-injector' },
                    { containerPort: 9995, name: 'injector-admin' },
                  ],
          },
        ];
  // The identity controller runs its proxy as a plain container (it cannot wait for itself);
  // the others run it as a native sidecar in edge releases, as the first container in stable.
  if (component === 'identity') {
    return { initContainers: [init], containers: [...main, proxy] };
  }
  if (!nativeSidecars(version)) {
    return { initContainers: [init], containers: [proxy, ...main] };
  }
  return {
    initContainers: [
      init,
      { ...proxy, restartPolicy: 'Always' } as ContainerSpec,
    ],
    containers: main,
  };
}

const COMPONENT_VOLUMES: Record<string, unknown[]> = {
  identity: [
    { name: 'identity-issuer', secret: { secretName: ISSUER_SECRET } },
    { name: 'trust-roots', configMap: { name: TRUST_ROOTS_CONFIG_MAP } },
  ],
  destination: [
    { name: 'sp-tls', secret: { secretName: 'linkerd-sp-validator-k8s-tls' } },
    {
      name: 'policy-tls',
      secret: { secretName: 'linkerd-policy-validator-k8s-tls' },
    },
  ],
  'proxy-injector': [
    { name: 'config', configMap: { name: 'linkerd-config' } },
    { name: 'trust-roots', configMap: { name: TRUST_ROOTS_CONFIG_MAP } },
    { name: 'tls', secret: { secretName: 'linkerd-proxy-injector-k8s-tls' } },
  ],
};

const RBAC = 'rbac.authorization.k8s.io';

function rbac(ns: string, version: string): PlanObject[] {
  const cpLabels = (component?: string, partOf = false) => ({
    ...(partOf ? { 'app.kubernetes.io/part-of': 'Linkerd' } : {}),
    ...(component ? { 'linkerd.io/control-plane-component': component } : {}),
    'linkerd.io/control-plane-ns': ns,
  });
  const read = ['get', 'list', 'watch'];
  const clusterRoles: Array<[string, Record<string, string>, unknown[]]> = [
    [
      `linkerd-${ns}-destination`,
      cpLabels('destination'),
      [
        {
          apiGroups: ['apps'],
          resources: ['replicasets'],
          verbs: read,
        },
        {
          apiGroups: [''],
          resources: ['pods', 'endpoints', 'services', 'nodes'],
          verbs: read,
        },
        {
          apiGroups: ['discovery.k8s.io'],
          resources: ['endpointslices'],
          verbs: read,
        },
        {
          apiGroups: ['linkerd.io'],
          resources: ['serviceprofiles'],
          verbs: read,
        },
      ],
    ],
    [
      'linkerd-policy',
      cpLabels('destination', true),
      [
        {
          apiGroups: ['policy.linkerd.io'],
          resources: ['*'],
          verbs: read,
        },
        { apiGroups: [''], resources: ['pods'], verbs: read },
      ],
    ],
    [
      `linkerd-${ns}-identity`,
      cpLabels('identity'),
      [
        {
          apiGroups: ['authentication.k8s.io'],
          resources: ['tokenreviews'],
          verbs: ['create'],
        },
        { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch'] },
      ],
    ],
    [
      `linkerd-${ns}-proxy-injector`,
      cpLabels('proxy-injector'),
      [
        { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch'] },
        {
          apiGroups: [''],
          resources: ['namespaces', 'replicationcontrollers'],
          verbs: ['list', 'get', 'watch'],
        },
        { apiGroups: [''], resources: ['pods'], verbs: ['list', 'watch'] },
        {
          apiGroups: ['extensions', 'apps'],
          resources: [
            'deployments',
            'replicasets',
            'daemonsets',
            'statefulsets',
          ],
          verbs: ['list', 'get', 'watch'],
        },
      ],
    ],
  ];
  const bindings: Array<[string, string, string, Record<string, string>]> = [
    [
      `linkerd-${ns}-destination`,
      `linkerd-${ns}-destination`,
      'linkerd-destination',
      cpLabels('destination'),
    ],
    [
      'linkerd-destination-policy',
      'linkerd-policy',
      'linkerd-destination',
      cpLabels('destination', true),
    ],
    [
      `linkerd-${ns}-identity`,
      `linkerd-${ns}-identity`,
      'linkerd-identity',
      cpLabels('identity'),
    ],
    [
      `linkerd-${ns}-proxy-injector`,
      `linkerd-${ns}-proxy-injector`,
      'linkerd-proxy-injector',
      cpLabels('proxy-injector'),
    ],
  ];
  return [
    ...clusterRoles.map(
      ([name, labels, rules]): PlanObject => ({
        apiVersion: `${RBAC}/v1`,
        kind: 'ClusterRole',
        metadata: { name, labels },
        rules,
      }),
    ),
    ...bindings.map(
      ([name, role, account, labels]): PlanObject => ({
        apiVersion: `${RBAC}/v1`,
        kind: 'ClusterRoleBinding',
        metadata: { name, labels },
        roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name: role },
        subjects: [
          {
            kind: 'ServiceAccount',
            name: account,
            namespace: ns,
            // The chart writes an empty apiGroup for the proxy injector's subject only.
            ...(account === 'linkerd-proxy-injector' ? { apiGroup: '' } : {}),
          },
        ],
      }),
    ),
    {
      apiVersion: `${RBAC}/v1`,
      kind: 'Role',
      metadata: {
        name: 'ext-namespace-metadata-linkerd-config',
        namespace: ns,
        labels: isStable(version) ? {} : cpLabels(),
      },
      rules: [
        {
          apiGroups: [''],
          resources: ['configmaps'],
          verbs: ['get'],
          resourceNames: ['linkerd-config'],
        },
      ],
    },
    {
      apiVersion: `${RBAC}/v1`,
      kind: 'Role',
      metadata: {
        name: 'remote-discovery',
        namespace: ns,
        labels: cpLabels('destination', true),
      },
      rules: [{ apiGroups: [''], resources: ['secrets'], verbs: read }],
    },
    {
      apiVersion: `${RBAC}/v1`,
      kind: 'RoleBinding',
      metadata: {
        name: 'linkerd-destination-remote-discovery',
        namespace: ns,
        labels: cpLabels('destination', true),
      },
      roleRef: { apiGroup: RBAC, kind: 'Role', name: 'remote-discovery' },
      subjects: [
        { kind: 'ServiceAccount', name: 'linkerd-destination', namespace: ns },
      ],
    },
  ];
}

function service(
  name: string,
  component: string,
  port: { name: string; port: number; targetPort: number | string },
  headless = false,
  annotations?: Record<string, string>,
): PlanObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name,
      namespace: CONVENTIONAL_NAMESPACE,
      labels: {
        'linkerd.io/control-plane-component': component,
        'linkerd.io/control-plane-ns': CONVENTIONAL_NAMESPACE,
      },
      ...(annotations ? { annotations } : {}),
    },
    spec: {
      ...(headless ? { clusterIP: 'None' } : { type: 'ClusterIP' }),
      selector: { 'linkerd.io/control-plane-component': component },
      ports: [port],
    },
  };
}

const webhookNamespaceOptOut = {
  key: 'config.linkerd.io/admission-webhooks',
  operator: 'NotIn',
  values: ['disabled'],
};

function validatingWebhook(
  name: string,
  serviceName: string,
  rules: unknown[],
): PlanObject {
  return {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingWebhookConfiguration',
    metadata: {
      name: `${serviceName}-webhook-config`,
      annotations: {
        'cert-manager.io/inject-ca-from': `${CONVENTIONAL_NAMESPACE}/${serviceName}`,
      },
      labels: {
        'linkerd.io/control-plane-component': 'destination',
        'linkerd.io/control-plane-ns': CONVENTIONAL_NAMESPACE,
      },
    },
    webhooks: [
      {
        name,
        namespaceSelector: { matchExpressions: [webhookNamespaceOptOut] },
        clientConfig: {
          service: {
            name: serviceName,
            namespace: CONVENTIONAL_NAMESPACE,
            path: '/',
          },
        },
        failurePolicy: 'Ignore',
        admissionReviewVersions: ['v1', 'v1beta1'],
        rules,
        sideEffects: 'None',
      },
    ],
  };
}

/**
 * Linkerd's namespace as MeshStage creates it (the charts expect it to exist): marked as the
 * control plane's, admission webhooks off, privileged pods allowed (proxy-init).
 */
export function linkerdNamespace(): PlanObject {
  const ns = CONVENTIONAL_NAMESPACE;
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name: ns,
      labels: {
        [CONTROL_PLANE_NAMESPACE_LABEL]: 'true',
        'config.linkerd.io/admission-webhooks': 'disabled',
        'linkerd.io/control-plane-ns': ns,
        'pod-security.kubernetes.io/enforce': 'privileged',
        'app.kubernetes.io/managed-by': 'meshstage',
      },
      // The control plane injects its own proxies at install time, not through its webhook.
      annotations: { 'linkerd.io/inject': 'disabled' },
    },
  };
}

/** The trust roots the proxies and the identity controller read (`identity.externalCA`). */
export function trustRootsConfigMap(anchors: string): PlanObject {
  const ns = CONVENTIONAL_NAMESPACE;
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: TRUST_ROOTS_CONFIG_MAP,
      namespace: ns,
      labels: {
        'linkerd.io/control-plane-component': 'identity',
        'linkerd.io/control-plane-ns': ns,
      },
    },
    data: { 'ca-bundle.crt': anchors },
  };
}

/**
 * Renders Linkerd's control plane for one version, in apply order: namespace, policy CRDs,
 * service accounts, config and trust roots, RBAC, Services, the identity, destination and
 * proxy-injector Deployments, and the webhooks. Pure: no I/O.
 *
 * @remarks
 * The built-in renderer serves the offline development cluster. It renders what MeshStage and
 * the injector depend on as the vendor's `linkerd-control-plane` chart does (names, kinds, labels,
 * selectors, the webhooks and their selectors, `linkerd-config`'s keys and images: see
 * `vendorParity.test.ts`), with an external CA: the issuer Secret and the trust roots come from
 * MeshStage's identity material (see `identity.ts`). Left out: the heartbeat CronJob and its RBAC,
 * the full CRD schemas, the proxies' environment and the webhook serving certificates.
 */
export function renderLinkerdControlPlane(
  options: LinkerdRenderOptions,
): PlanObject[] {
  const { version } = options;
  requireVersion(version);
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
  const anchors = options.trustAnchorsPEM ?? '';
  const createdBy = { 'linkerd.io/created-by': `meshstage/linkerd ${version}` };

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

  const components = ['destination', 'identity', 'proxy-injector'] as const;
  const serviceAccounts: PlanObject[] = components.map(component => ({
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: {
      name: `linkerd-${component}`,
      namespace: ns,
      labels: {
        'linkerd.io/control-plane-component': component,
        'linkerd.io/control-plane-ns': ns,
      },
    },
  }));

  const deployments: PlanObject[] = components.map(component => {
    const name = `linkerd-${component}`;
    const selector: Record<string, string> =
      component === 'proxy-injector'
        ? { 'linkerd.io/control-plane-component': component }
        : {
            'linkerd.io/control-plane-component': component,
            'linkerd.io/control-plane-ns': ns,
            'linkerd.io/proxy-deployment': name,
          };
    const { initContainers, containers } = podContainers(component, version);
    return {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {
        name,
        namespace: ns,
        annotations: createdBy,
        labels: {
          'app.kubernetes.io/name': component,
          'app.kubernetes.io/part-of': 'Linkerd',
          'app.kubernetes.io/version': version,
          'linkerd.io/control-plane-component': component,
          'linkerd.io/control-plane-ns': ns,
          [VERSION_LABEL]: version,
          'app.kubernetes.io/managed-by': 'meshstage',
        },
      },
      spec: {
        replicas: profile.replicas,
        selector: { matchLabels: selector },
        template: {
          metadata: {
            annotations: {
              ...createdBy,
              'linkerd.io/proxy-version': version,
              'linkerd.io/trust-root-sha256': trustRootSha256(anchors),
              'config.linkerd.io/default-inbound-policy': 'all-unauthenticated',
              // As Linkerd's chart has it: the webhook port its Service marks opaque is opaque
              // on the pods too (linkerd check's "opaque ports are properly annotated").
              ...(component === 'proxy-injector'
                ? { 'config.linkerd.io/opaque-ports': '8443' }
                : {}),
            },
            labels: {
              'linkerd.io/control-plane-component': component,
              'linkerd.io/control-plane-ns': ns,
              'linkerd.io/workload-ns': ns,
              'linkerd.io/proxy-deployment': name,
              [VERSION_LABEL]: version,
            },
          },
          spec: {
            serviceAccountName: name,
            initContainers,
            containers,
            volumes: COMPONENT_VOLUMES[component],
          },
        },
      },
    };
  });

  const byName = (name: string) =>
    deployments.find(d => d.metadata.name === name)!;

  return [
    linkerdNamespace(),
    ...crds,
    ...serviceAccounts,
    trustRootsConfigMap(anchors),
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'linkerd-config',
        namespace: ns,
        annotations: createdBy,
        labels: {
          'linkerd.io/control-plane-component': 'controller',
          'linkerd.io/control-plane-ns': ns,
        },
      },
      data: {
        'linkerd-crds-chart-version': 'linkerd-crds-1.0.0-edge',
        values: JSON.stringify(
          configValues(version, anchors, options.values),
          null,
          2,
        ),
      },
    },
    ...rbac(ns, version),
    service('linkerd-dst', 'destination', {
      name: 'grpc',
      port: 8086,
      targetPort: 8086,
    }),
    service(
      'linkerd-dst-headless',
      'destination',
      { name: 'grpc', port: 8086, targetPort: 8086 },
      true,
    ),
    service('linkerd-sp-validator', 'destination', {
      name: 'sp-validator',
      port: 443,
      targetPort: 'sp-validator',
    }),
    service(
      'linkerd-policy',
      'destination',
      { name: 'grpc', port: 8090, targetPort: 8090 },
      true,
    ),
    service('linkerd-policy-validator', 'destination', {
      name: 'policy-https',
      port: 443,
      targetPort: 'policy-https',
    }),
    service('linkerd-identity', 'identity', {
      name: 'grpc',
      port: 8080,
      targetPort: 8080,
    }),
    service(
      'linkerd-identity-headless',
      'identity',
      { name: 'grpc', port: 8080, targetPort: 8080 },
      true,
    ),
    service(
      'linkerd-proxy-injector',
      'proxy-injector',
      { name: 'proxy-injector', port: 443, targetPort: 'proxy-injector' },
      false,
      { 'config.linkerd.io/opaque-ports': '443' },
    ),
    ...LINKERD_DEPLOYMENT_ORDER.map(byName),
    validatingWebhook(
      'linkerd-sp-validator.linkerd.io',
      'linkerd-sp-validator',
      [
        {
          operations: ['CREATE', 'UPDATE'],
          apiGroups: ['linkerd.io'],
          apiVersions: ['v1alpha1', 'v1alpha2'],
          resources: ['serviceprofiles'],
        },
      ],
    ),
    validatingWebhook(
      'linkerd-policy-validator.linkerd.io',
      'linkerd-policy-validator',
      isStable(version)
        ? [
            {
              operations: ['CREATE', 'UPDATE'],
              apiGroups: ['policy.linkerd.io'],
              apiVersions: ['*'],
              resources: [
                'authorizationpolicies',
                'httproutes',
                'networkauthentications',
                'meshtlsauthentications',
                'serverauthorizations',
                'servers',
              ],
            },
          ]
        : [
            {
              operations: ['CREATE', 'UPDATE'],
              apiGroups: ['policy.linkerd.io'],
              apiVersions: ['*'],
              resources: [
                'authorizationpolicies',
                'httplocalratelimitpolicies',
                'httproutes',
                'networkauthentications',
                'meshtlsauthentications',
                'serverauthorizations',
                'servers',
                'egressnetworks',
              ],
            },
            {
              operations: ['CREATE', 'UPDATE'],
              apiGroups: ['gateway.networking.k8s.io'],
              apiVersions: ['*'],
              resources: ['httproutes', 'grpcroutes', 'tlsroutes', 'tcproutes'],
            },
          ],
    ),
    {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'MutatingWebhookConfiguration',
      metadata: {
        name: 'linkerd-proxy-injector-webhook-config',
        annotations: {
          'cert-manager.io/inject-ca-from': `${ns}/linkerd-proxy-injector`,
        },
        labels: {
          'linkerd.io/control-plane-component': 'proxy-injector',
          'linkerd.io/control-plane-ns': ns,
        },
      },
      webhooks: [
        {
          name: 'linkerd-proxy-injector.linkerd.io',
          // Never namespaces that opt out of webhooks (the control plane's own), kube-system or
          // cert-manager; never the control plane's pods or the CNI's.
          namespaceSelector: {
            matchExpressions: [
              webhookNamespaceOptOut,
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
              ...(isStable(version) ? {} : { scope: 'Namespaced' }),
            },
          ],
          sideEffects: 'None',
          timeoutSeconds: 10,
        },
      ],
    },
  ];
}
