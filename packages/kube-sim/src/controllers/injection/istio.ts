import type { KubeObject } from '../../api/types';
import { clone, isObject, JsonObject } from '../../util/objects';

/** An Istio control plane found in the cluster (an istiod Deployment). */
export interface IstioControlPlane {
  /** `default` for istiod without a revision label. */
  revision: string;
  namespace: string;
  /** Image tag of istiod, e.g. 1.24.2 (the proxy uses the same tag). */
  tag: string;
  /** Image repository prefix, e.g. docker.io/istio. */
  hub: string;
  /** Full proxy image when known from the injector's configuration (default `<hub>/proxyv2:<tag>`). */
  image?: string;
  /** Image of istio-init (default: the proxy image). */
  initImage?: string;
  /** Address of istiod's CA (default `istiod[-<revision>].<namespace>.svc:15012`). */
  caAddress?: string;
}

/** Splits `docker.io/istio/pilot:1.24.2` into hub, name and tag. */
export function parseImage(image: string): {
  hub: string;
  name: string;
  tag: string;
} {
  const at = image.indexOf('@');
  const ref = at >= 0 ? image.slice(0, at) : image;
  const slash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  const tag = colon > slash ? ref.slice(colon + 1) : 'latest';
  const path = colon > slash ? ref.slice(0, colon) : ref;
  const hub =
    path.lastIndexOf('/') >= 0
      ? path.slice(0, path.lastIndexOf('/'))
      : 'docker.io/library';
  const name = path.slice(path.lastIndexOf('/') + 1);
  return { hub, name, tag };
}

const VOLUMES = [
  'workload-socket',
  'credential-socket',
  'workload-certs',
  'istio-envoy',
  'istio-data',
  'istio-podinfo',
  'istio-token',
  'istiod-ca-cert',
];

/** Adds istio-init and istio-proxy (and their labels, annotations, volumes) to a pod. */
export function injectIstio(
  pod: KubeObject,
  cp: IstioControlPlane,
): KubeObject {
  const out = clone(pod) as KubeObject;
  const m = (out.metadata ?? (out.metadata = {})) as JsonObject;
  const spec = (out.spec ?? (out.spec = {})) as JsonObject;
  const labels = ((m.labels as Record<string, string>) ?? {}) as Record<
    string,
    string
  >;
  const image = cp.image ?? `${cp.hub}/proxyv2:${cp.tag}`;
  const initImage = cp.initImage ?? image;
  const containers = (spec.containers ?? []) as JsonObject[];
  const appContainer = String(containers[0]?.name ?? '');
  const canonical =
    labels['service.istio.io/canonical-name'] ??
    labels['app.kubernetes.io/name'] ??
    labels.app ??
    String(m.generateName ?? m.name ?? '').replace(/-[a-z0-9]*-?$/, '');
  m.labels = {
    ...labels,
    'security.istio.io/tlsMode': 'istio',
    'service.istio.io/canonical-name': canonical,
    'service.istio.io/canonical-revision':
      labels['service.istio.io/canonical-revision'] ??
      labels['app.kubernetes.io/version'] ??
      labels.version ??
      'latest',
    'istio.io/rev': cp.revision,
  };
  m.annotations = {
    ...((m.annotations as Record<string, string>) ?? {}),
    'istio.io/rev': cp.revision,
    'kubectl.kubernetes.io/default-container': appContainer,
    'kubectl.kubernetes.io/default-logs-container': appContainer,
    'prometheus.io/path': '/stats/prometheus',
    'prometheus.io/port': '15020',
    'prometheus.io/scrape': 'true',
    'sidecar.istio.io/status': JSON.stringify({
      initContainers: ['istio-init'],
      containers: ['istio-proxy'],
      volumes: VOLUMES,
      imagePullSecrets: null,
      revision: cp.revision,
    }),
  };
  const resources = {
    limits: { cpu: '2', memory: '1Gi' },
    requests: { cpu: '100m', memory: '128Mi' },
  };
  spec.initContainers = [
    {
      name: 'istio-init',
      image: initImage,
      imagePullPolicy: 'IfNotPresent',
      args: [
        'istio-iptables',
        '-p',
        '15001',
        '-z',
        '15006',
        '-u',
        '1337',
        '-m',
        'REDIRECT',
        '-i',
        '*',
        '-x',
        '',
        '-b',
        '*',
        '-d',
        '15090,15021,15020',
        '--log_output_level=default:info',
      ],
      resources,
      securityContext: {
        allowPrivilegeEscalation: false,
        capabilities: { add: ['NET_ADMIN', 'NET_RAW'], drop: ['ALL'] },
        privileged: false,
        readOnlyRootFilesystem: false,
        runAsGroup: 0,
        runAsNonRoot: false,
        runAsUser: 0,
      },
      terminationMessagePath: '/dev/termination-log',
      terminationMessagePolicy: 'File',
    },
    ...((spec.initContainers as JsonObject[]) ?? []),
  ];
  spec.containers = [
    ...containers,
    {
      name: 'istio-proxy',
      image,
      imagePullPolicy: 'IfNotPresent',
      args: [
        'proxy',
        'sidecar',
        '--domain',
        '$(POD_NAMESPACE).svc.cluster.local',
        '--proxyLogLevel=warning',
        '--proxyComponentLogLevel=misc:error',
        '--log_output_level=default:info',
      ],
      env: [
        { name: 'PILOT_CERT_PROVIDER', value: 'istiod' },
        {
          name: 'CA_ADDR',
          value:
            cp.caAddress ??
            `istiod${cp.revision === 'default' ? '' : `-${cp.revision}`}.${
              cp.namespace
            }.svc:15012`,
        },
        {
          name: 'POD_NAME',
          valueFrom: {
            fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' },
          },
        },
        {
          name: 'POD_NAMESPACE',
          valueFrom: {
            fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' },
          },
        },
        {
          name: 'INSTANCE_IP',
          valueFrom: {
            fieldRef: { apiVersion: 'v1', fieldPath: 'status.podIP' },
          },
        },
        { name: 'ISTIO_META_WORKLOAD_NAME', value: canonical },
        { name: 'ISTIO_META_MESH_ID', value: 'cluster.local' },
        { name: 'TRUST_DOMAIN', value: 'cluster.local' },
      ],
      ports: [
        { containerPort: 15090, name: 'http-envoy-prom', protocol: 'TCP' },
      ],
      readinessProbe: {
        failureThreshold: 4,
        httpGet: { path: '/healthz/ready', port: 15021, scheme: 'HTTP' },
        periodSeconds: 15,
        successThreshold: 1,
        timeoutSeconds: 3,
      },
      resources,
      securityContext: {
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'] },
        privileged: false,
        readOnlyRootFilesystem: true,
        runAsGroup: 1337,
        runAsNonRoot: true,
        runAsUser: 1337,
      },
      terminationMessagePath: '/dev/termination-log',
      terminationMessagePolicy: 'File',
      volumeMounts: [
        {
          mountPath: '/var/run/secrets/workload-spiffe-uds',
          name: 'workload-socket',
        },
        {
          mountPath: '/var/run/secrets/credential-uds',
          name: 'credential-socket',
        },
        {
          mountPath: '/var/run/secrets/workload-spiffe-credentials',
          name: 'workload-certs',
        },
        { mountPath: '/var/run/secrets/istio', name: 'istiod-ca-cert' },
        { mountPath: '/var/lib/istio/data', name: 'istio-data' },
        { mountPath: '/etc/istio/proxy', name: 'istio-envoy' },
        { mountPath: '/var/run/secrets/tokens', name: 'istio-token' },
        { mountPath: '/etc/istio/pod', name: 'istio-podinfo' },
      ],
    },
  ];
  spec.volumes = [
    ...((spec.volumes as JsonObject[]) ?? []),
    { name: 'workload-socket', emptyDir: {} },
    { name: 'credential-socket', emptyDir: {} },
    { name: 'workload-certs', emptyDir: {} },
    { name: 'istio-envoy', emptyDir: { medium: 'Memory' } },
    { name: 'istio-data', emptyDir: {} },
    {
      name: 'istio-podinfo',
      downwardAPI: {
        defaultMode: 420,
        items: [
          {
            fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.labels' },
            path: 'labels',
          },
          {
            fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.annotations' },
            path: 'annotations',
          },
        ],
      },
    },
    {
      name: 'istio-token',
      projected: {
        defaultMode: 420,
        sources: [
          {
            serviceAccountToken: {
              audience: 'istio-ca',
              expirationSeconds: 43200,
              path: 'istio-token',
            },
          },
        ],
      },
    },
    {
      name: 'istiod-ca-cert',
      configMap: { defaultMode: 420, name: 'istio-ca-root-cert' },
    },
  ];
  if (!isObject(spec.securityContext)) spec.securityContext = {};
  return out;
}
