import type { PlanObject } from '@meshstage/plugin-mesh-common';
import {
  INJECTION_LABEL,
  ISTIOD_APP_LABEL,
  ISTIOD_APP_VALUE,
  REVISION_LABEL,
  DEFAULT_REVISION,
} from '../constants';
import { ISTIO_SUPPORTED_VERSIONS } from '../versions';
import { istioCrds } from './crds';

/** Where Istio's control plane lives. */
export const ISTIO_NAMESPACE = 'istio-system';
/** Image repository of istiod (`pilot`) and the proxy. */
export const ISTIO_HUB = 'docker.io/istio';

/** Options of {@link renderIstioControlPlane}. */
export interface IstioRenderOptions {
  /** One of {@link ISTIO_SUPPORTED_VERSIONS}. */
  version: string;
  /** Revision name, e.g. `1-24-2`; absent for the default (revision-less) control plane. */
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

/** The revision name Istio tooling uses for a version: dots become dashes (`1.24.2` → `1-24-2`). */
export function revisionForVersion(version: string): string {
  return version.replace(/\./g, '-');
}

/** `base` for the default revision, `base-<rev>` otherwise: how Istio names per-revision objects. */
export function revisioned(base: string, revision?: string): string {
  return revision && revision !== DEFAULT_REVISION
    ? `${base}-${revision}`
    : base;
}

/**
 * The objects shared by every revision (namespace and CRDs): a canary upgrade re-applies them and
 * removing one revision leaves them in place.
 */
export function isSharedIstioObject(object: PlanObject): boolean {
  return (
    object.kind === 'Namespace' || object.kind === 'CustomResourceDefinition'
  );
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
    enablePrometheusMerge: true,
    rootNamespace: ISTIO_NAMESPACE,
    trustDomain: 'cluster.local',
    ...values,
  };
}

/**
 * Renders an Istio control plane (istiod) for one version and revision, in apply order:
 * namespace, CRDs, RBAC, config, Deployment, Service, injector webhook. Pure: no I/O.
 *
 * @remarks
 * This is the subset MeshStage needs to install, detect, inject and validate; a production
 * cluster that needs gateways, CNI or the full chart's tuning should install from Istio's Helm
 * charts and let MeshStage detect and onboard.
 */
export function renderIstioControlPlane(
  options: IstioRenderOptions,
): PlanObject[] {
  const { version } = options;
  if (!ISTIO_SUPPORTED_VERSIONS.includes(version)) {
    throw new Error(
      `Istio ${version} is not supported; supported versions: ${ISTIO_SUPPORTED_VERSIONS.join(
        ', ',
      )}`,
    );
  }
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
  const istiod = revisioned('istiod', revision);
  const labels = {
    app: ISTIOD_APP_VALUE,
    [REVISION_LABEL]: revision,
    'app.kubernetes.io/version': version,
    'app.kubernetes.io/managed-by': 'meshstage',
  };
  const clusterRole = `istiod-clusterrole${
    revision === DEFAULT_REVISION ? '' : `-${revision}`
  }-${ns}`;
  // The default revision answers the classic `istio-injection=enabled` label; a named revision
  // only namespaces bound to it by `istio.io/rev` (and not claimed by the classic label).
  const namespaceSelector =
    revision === DEFAULT_REVISION
      ? { matchLabels: { [INJECTION_LABEL]: 'enabled' } }
      : {
          matchExpressions: [
            { key: REVISION_LABEL, operator: 'In', values: [revision] },
            { key: INJECTION_LABEL, operator: 'DoesNotExist' },
          ],
        };

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
    {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: istiod, namespace: ns, labels },
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: clusterRole, labels },
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
          apiGroups: ['networking.istio.io', 'security.istio.io'],
          resources: ['*'],
          verbs: ['get', 'list', 'watch'],
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
            'secrets',
          ],
          verbs: ['get', 'list', 'watch'],
        },
        {
          apiGroups: ['discovery.k8s.io'],
          resources: ['endpointslices'],
          verbs: ['get', 'list', 'watch'],
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
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: clusterRole, labels },
      roleRef: {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'ClusterRole',
        name: clusterRole,
      },
      subjects: [{ kind: 'ServiceAccount', name: istiod, namespace: ns }],
    },
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: revisioned('istio', revision), namespace: ns, labels },
      data: {
        mesh: JSON.stringify(meshConfig(options.values, revision), null, 2),
      },
    },
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: revisioned('istio-sidecar-injector', revision),
        namespace: ns,
        labels,
      },
      data: {
        values: JSON.stringify({
          global: { hub: ISTIO_HUB, tag: version, proxy: { image: 'proxyv2' } },
          revision: revision === DEFAULT_REVISION ? '' : revision,
        }),
      },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: istiod, namespace: ns, labels },
      spec: {
        replicas: profile.replicas,
        selector: {
          matchLabels: {
            [ISTIOD_APP_LABEL]: ISTIOD_APP_VALUE,
            [REVISION_LABEL]: revision,
          },
        },
        strategy: {
          rollingUpdate: { maxSurge: '100%', maxUnavailable: '25%' },
        },
        template: {
          metadata: {
            labels: {
              [ISTIOD_APP_LABEL]: ISTIOD_APP_VALUE,
              [REVISION_LABEL]: revision,
              istio: 'pilot',
            },
            // istiod must never get a sidecar from its own (or another revision's) injector.
            annotations: { 'sidecar.istio.io/inject': 'false' },
          },
          spec: {
            serviceAccountName: istiod,
            containers: [
              {
                name: 'discovery',
                image: `${ISTIO_HUB}/pilot:${version}`,
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
                  { containerPort: 8080, protocol: 'TCP' },
                  { containerPort: 15010, protocol: 'TCP' },
                  { containerPort: 15017, protocol: 'TCP' },
                ],
                env: [
                  { name: 'REVISION', value: revision },
                  {
                    name: 'POD_NAMESPACE',
                    valueFrom: {
                      fieldRef: { fieldPath: 'metadata.namespace' },
                    },
                  },
                ],
                readinessProbe: {
                  httpGet: { path: '/ready', port: 8080 },
                  initialDelaySeconds: 1,
                  periodSeconds: 3,
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
      metadata: { name: istiod, namespace: ns, labels },
      spec: {
        selector: {
          [ISTIOD_APP_LABEL]: ISTIOD_APP_VALUE,
          [REVISION_LABEL]: revision,
        },
        ports: [
          { name: 'grpc-xds', port: 15010, protocol: 'TCP' },
          { name: 'https-dns', port: 15012, protocol: 'TCP' },
          {
            name: 'https-webhook',
            port: 443,
            targetPort: 15017,
            protocol: 'TCP',
          },
          { name: 'http-monitoring', port: 15014, protocol: 'TCP' },
        ],
      },
    },
    {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'MutatingWebhookConfiguration',
      metadata: {
        name: revisioned('istio-sidecar-injector', revision),
        labels,
      },
      webhooks: [
        {
          name: `${
            revision === DEFAULT_REVISION ? 'namespace' : 'rev.namespace'
          }.sidecar-injector.istio.io`,
          admissionReviewVersions: ['v1'],
          sideEffects: 'None',
          failurePolicy: 'Fail',
          reinvocationPolicy: 'Never',
          clientConfig: {
            service: {
              name: istiod,
              namespace: ns,
              path: '/inject',
              port: 443,
            },
          },
          rules: [
            {
              apiGroups: [''],
              apiVersions: ['v1'],
              operations: ['CREATE'],
              resources: ['pods'],
              scope: '*',
            },
          ],
          namespaceSelector,
          objectSelector: {
            matchExpressions: [
              {
                key: 'sidecar.istio.io/inject',
                operator: 'NotIn',
                values: ['false'],
              },
            ],
          },
        },
      ],
    },
  ];
}
