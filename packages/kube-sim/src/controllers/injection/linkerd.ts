import type { KubeObject } from '../../api/types';
import { clone, JsonObject } from '../../util/objects';

/** A Linkerd control plane found in the cluster. */
export interface LinkerdControlPlane {
  namespace: string;
  /** e.g. stable-2.14.10 or edge-24.11.8 */
  version: string;
  /** Proxy image when read from `linkerd-config` (default `cr.l5d.io/linkerd/proxy:<version>`). */
  proxyImage?: string;
  /** linkerd-init image (default `cr.l5d.io/linkerd/proxy-init:v2.4.1`). */
  initImage?: string;
  /** Version in `linkerd.io/created-by` (the control plane's `linkerdVersion`; default `version`). */
  injectorVersion?: string;
  /** `linkerd.io/trust-root-sha256`: sha256 of the trust anchors PEM. */
  trustRootSha256?: string;
}

/** Whether Linkerd's proxy injector would inject: `linkerd.io/inject: enabled|ingress` on the pod or namespace, with a control plane present. */
export function decideLinkerd(
  pod: { annotations: Record<string, string>; containerNames: string[] },
  namespaceAnnotations: Record<string, string>,
  planes: LinkerdControlPlane[],
): LinkerdControlPlane | undefined {
  if (pod.containerNames.includes('linkerd-proxy')) return undefined;
  const podValue = pod.annotations['linkerd.io/inject'];
  if (podValue === 'disabled') return undefined;
  const value = podValue ?? namespaceAnnotations['linkerd.io/inject'];
  if (value !== 'enabled' && value !== 'ingress') return undefined;
  return planes[0];
}

/** Adds linkerd-init and linkerd-proxy (first container, as the injector does) with Linkerd's metadata. */
export function injectLinkerd(
  pod: KubeObject,
  cp: LinkerdControlPlane,
  workloadName?: string,
): KubeObject {
  const out = clone(pod) as KubeObject;
  const m = (out.metadata ?? (out.metadata = {})) as JsonObject;
  const spec = (out.spec ?? (out.spec = {})) as JsonObject;
  m.annotations = {
    ...((m.annotations as Record<string, string>) ?? {}),
    'linkerd.io/created-by': `linkerd/proxy-injector ${
      cp.injectorVersion ?? cp.version
    }`,
    'linkerd.io/inject':
      ((m.annotations as Record<string, string>) ?? {})['linkerd.io/inject'] ??
      'enabled',
    'linkerd.io/proxy-version': cp.version,
    'linkerd.io/identity-mode': 'default',
    'linkerd.io/trust-root-sha256':
      cp.trustRootSha256 ??
      '0000000000000000000000000000000000000000000000000000000000000000',
  };
  m.labels = {
    ...((m.labels as Record<string, string>) ?? {}),
    'linkerd.io/control-plane-ns': cp.namespace,
    'linkerd.io/workload-ns': String(m.namespace ?? ''),
    ...(workloadName ? { 'linkerd.io/proxy-deployment': workloadName } : {}),
  };
  spec.initContainers = [
    {
      name: 'linkerd-init',
      image: cp.initImage ?? 'cr.l5d.io/linkerd/proxy-init:v2.4.1',
      imagePullPolicy: 'IfNotPresent',
      args: [
        '--incoming-proxy-port',
        '4143',
        '--outgoing-proxy-port',
        '4140',
        '--proxy-uid',
        '2102',
        '--inbound-ports-to-ignore',
        '4190,4191,4567,4568',
        '--outbound-ports-to-ignore',
        '4567,4568',
      ],
      resources: {
        limits: { cpu: '100m', memory: '20Mi' },
        requests: { cpu: '100m', memory: '20Mi' },
      },
      securityContext: {
        allowPrivilegeEscalation: false,
        capabilities: { add: ['NET_ADMIN', 'NET_RAW'] },
        privileged: false,
        readOnlyRootFilesystem: true,
        runAsGroup: 65534,
        runAsNonRoot: true,
        runAsUser: 65534,
      },
      terminationMessagePath: '/dev/termination-log',
      terminationMessagePolicy: 'FallbackToLogsOnError',
      volumeMounts: [
        { mountPath: '/run', name: 'linkerd-proxy-init-xtables-lock' },
      ],
    },
    ...((spec.initContainers as JsonObject[]) ?? []),
  ];
  spec.containers = [
    {
      name: 'linkerd-proxy',
      image: cp.proxyImage ?? `cr.l5d.io/linkerd/proxy:${cp.version}`,
      imagePullPolicy: 'IfNotPresent',
      env: [
        {
          name: 'LINKERD2_PROXY_LOG',
          value: 'warn,linkerd=info,hickory=error',
        },
        {
          name: 'LINKERD2_PROXY_DESTINATION_SVC_ADDR',
          value: `linkerd-dst-headless.${cp.namespace}.svc.cluster.local.:8086`,
        },
        {
          name: 'LINKERD2_PROXY_IDENTITY_SVC_ADDR',
          value: `linkerd-identity-headless.${cp.namespace}.svc.cluster.local.:8080`,
        },
        {
          name: '_pod_ns',
          valueFrom: {
            fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' },
          },
        },
      ],
      ports: [
        { containerPort: 4143, name: 'linkerd-proxy', protocol: 'TCP' },
        { containerPort: 4191, name: 'linkerd-admin', protocol: 'TCP' },
      ],
      livenessProbe: {
        httpGet: { path: '/live', port: 4191 },
        initialDelaySeconds: 10,
        timeoutSeconds: 1,
      },
      readinessProbe: {
        httpGet: { path: '/ready', port: 4191 },
        initialDelaySeconds: 2,
        timeoutSeconds: 1,
      },
      securityContext: {
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        runAsNonRoot: true,
        runAsUser: 2102,
      },
      terminationMessagePath: '/dev/termination-log',
      terminationMessagePolicy: 'FallbackToLogsOnError',
      volumeMounts: [
        {
          mountPath: '/var/run/linkerd/identity/end-entity',
          name: 'linkerd-identity-end-entity',
        },
        {
          mountPath: '/var/run/secrets/tokens',
          name: 'linkerd-identity-token',
        },
      ],
    },
    ...((spec.containers as JsonObject[]) ?? []),
  ];
  spec.volumes = [
    ...((spec.volumes as JsonObject[]) ?? []),
    { name: 'linkerd-proxy-init-xtables-lock', emptyDir: {} },
    { name: 'linkerd-identity-end-entity', emptyDir: { medium: 'Memory' } },
    {
      name: 'linkerd-identity-token',
      projected: {
        defaultMode: 420,
        sources: [
          {
            serviceAccountToken: {
              audience: 'identity.l5d.io',
              expirationSeconds: 86400,
              path: 'linkerd-identity-token',
            },
          },
        ],
      },
    },
  ];
  return out;
}
