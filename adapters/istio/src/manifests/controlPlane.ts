import type { PlanObject } from '@meshstage/plugin-mesh-common';
import {
  INJECTION_LABEL,
  ISTIOD_APP_LABEL,
  ISTIOD_APP_VALUE,
  POD_INJECT_LABEL,
  REVISION_LABEL,
  DEFAULT_REVISION,
  TAG_LABEL,
} from '../constants';
import { ISTIO_SUPPORTED_VERSIONS } from '../versions';
import { istioCrds } from './crds';

/** Where Istio's control plane lives. */
export const ISTIO_NAMESPACE = 'istio-system';
/**
 * Image repository of istiod (`pilot`) and the proxy up to Istio 1.29.
 * @deprecated the hub depends on the version; use {@link istioHub}.
 */
export const ISTIO_HUB = 'docker.io/istio';

/**
 * The image repository Istio's charts default to for a version: `registry.istio.io/release` from
 * 1.30 on (the release note "Added registry.istio.io as the default registry"), `docker.io/istio`
 * before.
 */
export function istioHub(version: string): string {
  const [major, minor] = version.split('.').map(Number);
  return major > 1 || (major === 1 && minor >= 30)
    ? 'registry.istio.io/release'
    : 'docker.io/istio';
}

/** Options of {@link renderIstioControlPlane}. */
export interface IstioRenderOptions {
  /** One of {@link ISTIO_SUPPORTED_VERSIONS}. */
  version: string;
  /** Revision name, e.g. `1-30-3`; absent for the default (revision-less) control plane. */
  revision?: string;
  /** `default` (2 istiod replicas) or `minimal` (1); other names are rejected. */
  profile?: string;
  /** Merged into the mesh config (ConfigMap `istio`, key `mesh`), e.g. `{ accessLogFile: '/dev/stdout' }`. */
  values?: Record<string, unknown>;
}

const PROFILES: Record<string, { replicas: number }> = {
  default: { replicas: 2 },
  minimal: { replicas: 1 },
};

/** The revision name Istio tooling uses for a version: dots become dashes (`1.30.3` → `1-30-3`). */
export function revisionForVersion(version: string): string {
  return version.replace(/\./g, '-');
}

/** `base` for the default revision, `base-<rev>` otherwise: how Istio names per-revision objects. */
export function revisioned(base: string, revision?: string): string {
  return revision && revision !== DEFAULT_REVISION
    ? `${base}-${revision}`
    : base;
}

// Objects of Istio's `base` chart: shared by every revision like the CRDs.
const BASE_OBJECTS = new Set([
  'ServiceAccount/istio-reader-service-account',
  'ValidatingWebhookConfiguration/istiod-default-validator',
]);

/**
 * The objects shared by every revision (namespace, CRDs and the rest of Istio's `base` chart): a
 * canary upgrade re-applies them and removing one revision leaves them in place.
 */
export function isSharedIstioObject(object: PlanObject): boolean {
  return (
    object.kind === 'Namespace' ||
    object.kind === 'CustomResourceDefinition' ||
    BASE_OBJECTS.has(`${object.kind}/${object.metadata.name}`)
  );
}

/** The labels Istio's charts put on their objects (`istio.labels`), with MeshStage as the manager. */
function chartLabels(version: string, name = 'istiod') {
  return {
    'app.kubernetes.io/name': name,
    'app.kubernetes.io/managed-by': 'meshstage',
    'app.kubernetes.io/part-of': 'istio',
    'app.kubernetes.io/version': version,
  };
}

function meshConfig(
  values: Record<string, unknown> | undefined,
  revision: string,
) {
  return {
    defaultConfig: {
      discoveryAddress: `${revisioned(
        'istiod',
        revision,
      )}.${ISTIO_NAMESPACE}.svc:15012`,
    },
    defaultProviders: { metrics: ['prometheus'] },
    enablePrometheusMerge: true,
    rootNamespace: ISTIO_NAMESPACE,
    trustDomain: 'cluster.local',
    ...values,
  };
}

/** The injector `values` (istiod reads hub, tag, proxy images and revision from here; so does kube-sim). */
function injectorValues(version: string, revision: string) {
  return {
    gateways: { seccompProfile: {}, securityContext: {} },
    global: {
      caAddress: '',
      hub: istioHub(version),
      tag: version,
      imagePullPolicy: '',
      istioNamespace: ISTIO_NAMESPACE,
      meshID: '',
      network: '',
      proxy: {
        image: 'proxyv2',
        clusterDomain: 'cluster.local',
        holdApplicationUntilProxyStarts: false,
        logLevel: 'warning',
        privileged: false,
        resources: {
          limits: { cpu: '2000m', memory: '1024Mi' },
          requests: { cpu: '100m', memory: '128Mi' },
        },
        statusPort: 15020,
      },
      proxy_init: { image: 'proxyv2' },
    },
    pilot: { cni: { enabled: false, provider: 'default' } },
    revision: revision === DEFAULT_REVISION ? '' : revision,
    sidecarInjectorWebhook: {
      alwaysInjectSelector: [],
      defaultTemplates: [],
      enableNamespacesByDefault: false,
      injectedAnnotations: {},
      neverInjectSelector: [],
      reinvocationPolicy: 'Never',
      rewriteAppHTTPProbe: true,
      templates: {},
    },
  };
}

/**
 * The injector `config`: the vendor's keys and template names. The templates themselves are short
 * placeholders of our own: the built-in renderer serves the development cluster, whose simulated
 * injector reads `values` and the policy; a real cluster gets the vendor's chart.
 */
function injectorConfig(version: string) {
  const placeholder = (name: string) =>
    `# ${name} injection template: rendered in full by Istio ${version}'s istiod chart\n`;
  return {
    defaultTemplates: ['sidecar'],
    policy: 'enabled',
    alwaysInjectSelector: [],
    neverInjectSelector: [],
    injectedAnnotations: null,
    template:
      '{{ Template_Version_And_Istio_Version_Mismatched_Check_Installation }}',
    templates: Object.fromEntries(
      [
        'sidecar',
        'gateway',
        'grpc-simple',
        'grpc-agent',
        'waypoint',
        'kube-gateway',
        'agentgateway',
      ].map(t => [t, placeholder(t)]),
    ),
  };
}

/** One of istiod's injector webhooks (the chart's `core` template). */
function injectorWebhook(
  prefix: string,
  service: string,
  namespaceSelector: unknown,
  objectSelector: unknown,
) {
  return {
    name: `${prefix}sidecar-injector.istio.io`,
    clientConfig: {
      service: {
        name: service,
        namespace: ISTIO_NAMESPACE,
        path: '/inject',
        port: 443,
      },
    },
    sideEffects: 'None',
    rules: [
      {
        operations: ['CREATE'],
        apiGroups: [''],
        apiVersions: ['v1'],
        resources: ['pods'],
      },
    ],
    failurePolicy: 'Fail',
    reinvocationPolicy: 'Never',
    admissionReviewVersions: ['v1'],
    namespaceSelector,
    objectSelector,
  };
}

const notDisabled = {
  key: POD_INJECT_LABEL,
  operator: 'NotIn',
  values: ['false'],
};

/**
 * The webhooks of an injector MutatingWebhookConfiguration, as Istio's charts render them for a
 * revision (`mutatingwebhook.yaml`) or a revision tag (`revision-tags-mwc.yaml`): namespaces or
 * pods labelled `istio.io/rev=<name>`; for `default` also the classic `istio-injection=enabled`
 * namespaces and `sidecar.istio.io/inject=true` pods.
 */
export function istioInjectorWebhooks(name: string, service: string) {
  const webhooks = [
    injectorWebhook(
      'rev.namespace.',
      service,
      {
        matchExpressions: [
          { key: REVISION_LABEL, operator: 'In', values: [name] },
          { key: INJECTION_LABEL, operator: 'DoesNotExist' },
        ],
      },
      { matchExpressions: [notDisabled] },
    ),
    injectorWebhook(
      'rev.object.',
      service,
      {
        matchExpressions: [
          { key: REVISION_LABEL, operator: 'DoesNotExist' },
          { key: INJECTION_LABEL, operator: 'DoesNotExist' },
        ],
      },
      {
        matchExpressions: [
          notDisabled,
          { key: REVISION_LABEL, operator: 'In', values: [name] },
        ],
      },
    ),
  ];
  if (name === DEFAULT_REVISION) {
    webhooks.push(
      injectorWebhook(
        'namespace.',
        service,
        {
          matchExpressions: [
            { key: INJECTION_LABEL, operator: 'In', values: ['enabled'] },
          ],
        },
        { matchExpressions: [notDisabled] },
      ),
      injectorWebhook(
        'object.',
        service,
        {
          matchExpressions: [
            { key: INJECTION_LABEL, operator: 'DoesNotExist' },
            { key: REVISION_LABEL, operator: 'DoesNotExist' },
          ],
        },
        {
          matchExpressions: [
            { key: POD_INJECT_LABEL, operator: 'In', values: ['true'] },
            { key: REVISION_LABEL, operator: 'DoesNotExist' },
          ],
        },
      ),
    );
  }
  return webhooks;
}

/** istiod's config validation webhook (`validatingwebhookconfiguration.yaml` / base's default validator). */
function validationWebhook(name: string, service: string, revision?: string) {
  return {
    name,
    clientConfig: {
      service: { name: service, namespace: ISTIO_NAMESPACE, path: '/validate' },
    },
    rules: [
      {
        operations: ['CREATE', 'UPDATE'],
        apiGroups: [
          'security.istio.io',
          'networking.istio.io',
          'telemetry.istio.io',
          'extensions.istio.io',
        ],
        apiVersions: ['*'],
        resources: ['*'],
      },
    ],
    ...(revision
      ? {
          objectSelector: {
            matchExpressions: [
              { key: REVISION_LABEL, operator: 'In', values: [revision] },
            ],
          },
        }
      : {}),
    failurePolicy: 'Ignore',
    sideEffects: 'None',
    admissionReviewVersions: ['v1'],
  };
}

function requireVersion(version: string) {
  if (!ISTIO_SUPPORTED_VERSIONS.includes(version)) {
    throw new Error(
      `Istio ${version} is not supported; supported versions: ${ISTIO_SUPPORTED_VERSIONS.join(
        ', ',
      )}`,
    );
  }
}

/** The objects of Istio's `base` chart that MeshStage renders: the reader account and the default validator. */
function baseObjects(version: string): PlanObject[] {
  return [
    {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: {
        name: 'istio-reader-service-account',
        namespace: ISTIO_NAMESPACE,
        labels: {
          app: 'istio-reader',
          ...chartLabels(version, 'istio-reader'),
        },
      },
    },
    {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingWebhookConfiguration',
      metadata: {
        name: 'istiod-default-validator',
        labels: {
          app: ISTIOD_APP_VALUE,
          istio: 'istiod',
          [REVISION_LABEL]: DEFAULT_REVISION,
          ...chartLabels(version),
        },
      },
      webhooks: [validationWebhook('validation.istio.io', 'istiod')],
    },
  ];
}

const RBAC = 'rbac.authorization.k8s.io';

/** istiod's RBAC, named as the chart names it; the rules are the subset the dev cluster needs. */
function rbacObjects(
  version: string,
  revision: string,
  istiod: string,
): PlanObject[] {
  const rev = revision === DEFAULT_REVISION ? '' : `${revision}-`;
  const istiodLabels = { app: ISTIOD_APP_VALUE, ...chartLabels(version) };
  const readerLabels = {
    app: 'istio-reader',
    ...chartLabels(version, 'istio-reader'),
  };
  const read = ['get', 'list', 'watch'];
  const roles: Array<{
    name: string;
    labels: Record<string, string>;
    account: string;
    rules: unknown[];
  }> = [
    {
      name: `istiod-clusterrole-${rev}${ISTIO_NAMESPACE}`,
      labels: istiodLabels,
      account: istiod,
      rules: [
        {
          apiGroups: ['admissionregistration.k8s.io'],
          resources: [
            'mutatingwebhookconfigurations',
            'validatingwebhookconfigurations',
          ],
          verbs: ['get', 'list', 'watch', 'update', 'patch'],
        },
        {
          apiGroups: [
            'networking.istio.io',
            'security.istio.io',
            'telemetry.istio.io',
            'extensions.istio.io',
          ],
          resources: ['*'],
          verbs: read,
        },
        {
          apiGroups: [''],
          resources: [
            'pods',
            'nodes',
            'services',
            'namespaces',
            'endpoints',
            'configmaps',
          ],
          verbs: read,
        },
        {
          apiGroups: ['discovery.k8s.io'],
          resources: ['endpointslices'],
          verbs: read,
        },
        {
          apiGroups: ['authentication.k8s.io'],
          resources: ['tokenreviews'],
          verbs: ['create'],
        },
        {
          apiGroups: ['certificates.k8s.io'],
          resources: ['certificatesigningrequests'],
          verbs: ['create', 'get', 'list', 'watch'],
        },
      ],
    },
    {
      name: `istiod-gateway-controller-${rev}${ISTIO_NAMESPACE}`,
      labels: istiodLabels,
      account: istiod,
      rules: [
        {
          apiGroups: ['apps'],
          resources: ['deployments'],
          verbs: [...read, 'update', 'patch', 'create', 'delete'],
        },
        {
          apiGroups: [''],
          resources: ['services', 'serviceaccounts'],
          verbs: [...read, 'update', 'patch', 'create', 'delete'],
        },
      ],
    },
    {
      name: `istio-reader-clusterrole-${rev}${ISTIO_NAMESPACE}`,
      labels: readerLabels,
      account: 'istio-reader-service-account',
      rules: [
        {
          apiGroups: [
            'config.istio.io',
            'security.istio.io',
            'networking.istio.io',
            'authentication.istio.io',
            'rbac.istio.io',
            'telemetry.istio.io',
            'extensions.istio.io',
          ],
          resources: ['*'],
          verbs: read,
        },
        {
          apiGroups: [''],
          resources: [
            'endpoints',
            'pods',
            'services',
            'nodes',
            'replicationcontrollers',
            'namespaces',
            'secrets',
          ],
          verbs: read,
        },
      ],
    },
  ];
  return [
    ...roles.map(
      (r): PlanObject => ({
        apiVersion: `${RBAC}/v1`,
        kind: 'ClusterRole',
        metadata: { name: r.name, labels: r.labels },
        rules: r.rules,
      }),
    ),
    ...roles.map(
      (r): PlanObject => ({
        apiVersion: `${RBAC}/v1`,
        kind: 'ClusterRoleBinding',
        metadata: { name: r.name, labels: r.labels },
        roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name: r.name },
        subjects: [
          {
            kind: 'ServiceAccount',
            name: r.account,
            namespace: ISTIO_NAMESPACE,
          },
        ],
      }),
    ),
    {
      apiVersion: `${RBAC}/v1`,
      kind: 'Role',
      metadata: {
        name: istiod,
        namespace: ISTIO_NAMESPACE,
        labels: istiodLabels,
      },
      rules: [
        {
          apiGroups: [''],
          resources: ['configmaps'],
          verbs: ['create', 'get', 'list', 'watch', 'update'],
        },
        {
          apiGroups: [''],
          resources: ['secrets'],
          verbs: ['create', 'get', 'watch', 'list', 'update', 'delete'],
        },
      ],
    },
    {
      apiVersion: `${RBAC}/v1`,
      kind: 'RoleBinding',
      metadata: {
        name: istiod,
        namespace: ISTIO_NAMESPACE,
        labels: istiodLabels,
      },
      roleRef: { apiGroup: RBAC, kind: 'Role', name: istiod },
      subjects: [
        { kind: 'ServiceAccount', name: istiod, namespace: ISTIO_NAMESPACE },
      ],
    },
  ];
}

const istiodPorts = [
  { port: 15010, name: 'grpc-xds', protocol: 'TCP' },
  { port: 15012, name: 'https-dns', protocol: 'TCP' },
  { port: 443, name: 'https-webhook', targetPort: 15017, protocol: 'TCP' },
  { port: 15014, name: 'http-monitoring', protocol: 'TCP' },
];

/**
 * Renders an Istio control plane (istiod) for one version and revision, in apply order:
 * namespace, CRDs and the `base` chart's objects, RBAC, config, Deployment, Service, injector and
 * validation webhooks. Pure: no I/O.
 *
 * @remarks
 * The built-in renderer serves the offline development cluster. It renders the objects MeshStage
 * and the injector depend on exactly as the vendor's `istiod` chart does (names, kinds, labels,
 * selectors, webhook names and selectors, the injector and mesh ConfigMaps' keys, images: see
 * `vendorParity.test.ts`); it leaves out what only a real istiod needs (the full injection
 * templates, the complete CRD schemas, the HorizontalPodAutoscaler and RBAC rules beyond what the
 * dev cluster uses). Real clusters install the vendor's charts.
 */
export function renderIstioControlPlane(
  options: IstioRenderOptions,
): PlanObject[] {
  const { version } = options;
  requireVersion(version);
  const profileName = options.profile ?? 'default';
  const profile = PROFILES[profileName];
  if (!profile) {
    throw new Error(
      `Unknown Istio profile '${profileName}'; known profiles: ${Object.keys(
        PROFILES,
      ).join(', ')}`,
    );
  }
  const revision = options.revision ?? DEFAULT_REVISION;
  const ns = ISTIO_NAMESPACE;
  const hub = istioHub(version);
  const istiod = revisioned('istiod', revision);
  const chart = chartLabels(version);
  const revLabel = { [REVISION_LABEL]: revision };
  const isDefault = revision === DEFAULT_REVISION;
  // As the chart does: the default revision's Deployment and Service select `istio=pilot`
  // (`app=istiod` too for the Service), a named revision's select `app` and `istio.io/rev`.
  const podSelector: Record<string, string> = isDefault
    ? { istio: 'pilot' }
    : { [ISTIOD_APP_LABEL]: ISTIOD_APP_VALUE, [REVISION_LABEL]: revision };
  const serviceSelector: Record<string, string> = isDefault
    ? { [ISTIOD_APP_LABEL]: ISTIOD_APP_VALUE, istio: 'pilot' }
    : podSelector;
  const values = injectorValues(version, revision);

  return [
    {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: ns,
        labels: { 'app.kubernetes.io/managed-by': 'meshstage' },
      },
    },
    ...istioCrds(version),
    ...baseObjects(version),
    {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: {
        name: istiod,
        namespace: ns,
        labels: { app: ISTIOD_APP_VALUE, ...chart },
      },
    },
    ...rbacObjects(version, revision, istiod),
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: revisioned('values', revision),
        namespace: ns,
        labels: { ...revLabel, ...chart },
      },
      data: {
        'original-values': JSON.stringify(
          revision === DEFAULT_REVISION ? {} : { revision },
        ),
        'merged-values': JSON.stringify(values),
      },
    },
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: revisioned('istio', revision),
        namespace: ns,
        labels: { ...revLabel, ...chart },
      },
      data: {
        meshNetworks: JSON.stringify({ networks: {} }),
        mesh: JSON.stringify(meshConfig(options.values, revision), null, 2),
      },
    },
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: revisioned('istio-sidecar-injector', revision),
        namespace: ns,
        labels: { ...revLabel, ...chart },
      },
      data: {
        values: JSON.stringify(values, null, 2),
        config: JSON.stringify(injectorConfig(version), null, 2),
      },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {
        name: istiod,
        namespace: ns,
        labels: {
          [ISTIOD_APP_LABEL]: ISTIOD_APP_VALUE,
          ...revLabel,
          istio: 'pilot',
          ...chart,
        },
      },
      spec: {
        replicas: profile.replicas,
        strategy: {
          rollingUpdate: { maxSurge: '100%', maxUnavailable: '25%' },
        },
        selector: { matchLabels: podSelector },
        template: {
          metadata: {
            labels: {
              [ISTIOD_APP_LABEL]: ISTIOD_APP_VALUE,
              ...revLabel,
              // istiod must never get a sidecar from its own (or another revision's) injector.
              [POD_INJECT_LABEL]: 'false',
              istio: isDefault ? 'pilot' : 'istiod',
              'istio.io/dataplane-mode': 'none',
              ...chart,
            },
            annotations: {
              'prometheus.io/port': '15014',
              'prometheus.io/scrape': 'true',
              [POD_INJECT_LABEL]: 'false',
            },
          },
          spec: {
            serviceAccountName: istiod,
            containers: [
              {
                name: 'discovery',
                image: `${hub}/pilot:${version}`,
                args: [
                  'discovery',
                  '--monitoringAddr=:15014',
                  '--log_output_level=default:info',
                  '--domain',
                  'cluster.local',
                  '--keepaliveMaxServerConnectionAge',
                  '30m',
                ],
                ports: [
                  { containerPort: 8080, protocol: 'TCP', name: 'http-debug' },
                  { containerPort: 15010, protocol: 'TCP', name: 'grpc-xds' },
                  { containerPort: 15012, protocol: 'TCP', name: 'tls-xds' },
                  {
                    containerPort: 15017,
                    protocol: 'TCP',
                    name: 'https-webhooks',
                  },
                  {
                    containerPort: 15014,
                    protocol: 'TCP',
                    name: 'http-monitoring',
                  },
                ],
                env: [
                  { name: 'REVISION', value: revision },
                  { name: 'PILOT_CERT_PROVIDER', value: 'istiod' },
                  {
                    name: 'POD_NAMESPACE',
                    valueFrom: {
                      fieldRef: { fieldPath: 'metadata.namespace' },
                    },
                  },
                  { name: 'CLUSTER_ID', value: 'Kubernetes' },
                ],
                readinessProbe: {
                  httpGet: { path: '/ready', port: 8080 },
                  initialDelaySeconds: 1,
                  periodSeconds: 3,
                  timeoutSeconds: 5,
                },
                resources: { requests: { cpu: '500m', memory: '2048Mi' } },
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
        name: istiod,
        namespace: ns,
        labels: {
          ...revLabel,
          app: ISTIOD_APP_VALUE,
          istio: 'pilot',
          ...chart,
        },
      },
      spec: { ports: istiodPorts, selector: serviceSelector },
    },
    {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingWebhookConfiguration',
      metadata: {
        name:
          revision === DEFAULT_REVISION
            ? `istio-validator-${ns}`
            : `istio-validator-${revision}-${ns}`,
        labels: {
          app: ISTIOD_APP_VALUE,
          istio: 'istiod',
          ...revLabel,
          ...chart,
        },
      },
      webhooks: [
        validationWebhook('rev.validation.istio.io', istiod, revision),
      ],
    },
    {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'MutatingWebhookConfiguration',
      metadata: {
        name: revisioned('istio-sidecar-injector', revision),
        labels: { ...revLabel, app: 'sidecar-injector', ...chart },
      },
      webhooks: istioInjectorWebhooks(revision, istiod),
    },
  ];
}

/** Options of {@link renderIstioRevisionTag}. */
export interface IstioRevisionTagOptions {
  /** The tag, e.g. `default` or `prod-stable`. */
  tag: string;
  /** The revision it points at (`default` for the revision-less control plane). */
  revision: string;
  /** The version that revision runs (for the chart labels). */
  version: string;
}

/** The name of a revision tag's MutatingWebhookConfiguration. */
export function revisionTagWebhookName(tag: string): string {
  return `istio-revision-tag-${tag}`;
}

/**
 * A revision tag as the istiod chart renders it (`revisionTags`, or `istioctl tag set`): the
 * MutatingWebhookConfiguration `istio-revision-tag-<tag>` sending namespaces and pods labelled
 * `istio.io/rev=<tag>` (for `default` also `istio-injection=enabled`) to the revision's istiod,
 * and the Service `istiod-revision-tag-<tag>` selecting that revision's pods.
 */
export function renderIstioRevisionTag(
  options: IstioRevisionTagOptions,
): PlanObject[] {
  const { tag, revision, version } = options;
  requireVersion(version);
  const chart = chartLabels(version);
  return [
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        name: `istiod-revision-tag-${tag}`,
        namespace: ISTIO_NAMESPACE,
        labels: {
          [REVISION_LABEL]: revision,
          [TAG_LABEL]: tag,
          app: ISTIOD_APP_VALUE,
          istio: 'pilot',
          ...chart,
        },
      },
      spec: {
        ports: istiodPorts,
        selector: {
          [ISTIOD_APP_LABEL]: ISTIOD_APP_VALUE,
          [REVISION_LABEL]: revision,
        },
      },
    },
    {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'MutatingWebhookConfiguration',
      metadata: {
        name: revisionTagWebhookName(tag),
        labels: {
          [TAG_LABEL]: tag,
          [REVISION_LABEL]: revision,
          app: 'sidecar-injector',
          ...chart,
        },
      },
      webhooks: istioInjectorWebhooks(tag, revisioned('istiod', revision)),
    },
  ];
}
