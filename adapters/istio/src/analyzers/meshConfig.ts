import type { KubeObject, Snapshot } from '@meshstage/plugin-mesh-node';
import { ISTIO_SYSTEM, REVISION_LABEL, TAG_LABEL } from '../constants';
import {
  checkShape,
  durationSeconds,
  field,
  MessageShape,
  Shape,
  ShapeProblem,
} from './protoShape';

/**
 * Istio's mesh-wide settings as analyzers see them. A MeshConfig (`--mesh-config`, istioctl's
 * `--meshConfigFile`) and MeshNetworks (`--mesh-networks`) become objects of the snapshot, of the
 * kinds and names istioctl gives them (`MeshConfig istio-system/meshconfig`, `MeshNetworks
 * istio-system/meshnetworks`), so findings on them point into their files. Without a MeshConfig
 * object, the `istio` ConfigMap's `mesh` key is read (the cluster's, or one among the files), and
 * without either, Istio's defaults.
 */
export const MESH_API_VERSION = 'mesh.istio.io/v1alpha1';

const OBJECT_LIST: Shape = { list: 'object' };
const STRINGS: Shape = { list: 'string' };

/** ProxyConfig (`defaultConfig`): the fields Istio knows, typed where analyzers read them. */
const PROXY_CONFIG: MessageShape = {
  fields: {
    configPath: 'string',
    binaryPath: 'string',
    serviceCluster: 'string',
    tracingServiceName: {
      enum: [
        'APP_LABEL_AND_NAMESPACE',
        'CANONICAL_NAME_ONLY',
        'CANONICAL_NAME_AND_NAMESPACE',
      ],
    },
    drainDuration: 'duration',
    discoveryAddress: 'string',
    discoveryRefreshDelay: 'duration',
    zipkinAddress: 'string',
    statsdUdpAddress: 'string',
    envoyMetricsServiceAddress: 'string',
    proxyAdminPort: 'int',
    availabilityZone: 'string',
    controlPlaneAuthPolicy: { enum: ['NONE', 'MUTUAL_TLS', 'INHERIT'] },
    customConfigFile: 'string',
    statNameLength: 'int',
    concurrency: 'int',
    proxyBootstrapTemplatePath: 'string',
    interceptionMode: { enum: ['REDIRECT', 'TPROXY', 'NONE'] },
    tracing: 'object',
    sds: 'object',
    envoyAccessLogService: 'object',
    envoyMetricsService: 'object',
    proxyMetadata: { map: 'string' },
    runtimeValues: { map: 'string' },
    statusPort: 'int',
    extraStatTags: STRINGS,
    gatewayTopology: 'object',
    terminationDrainDuration: 'duration',
    meshId: 'string',
    readinessProbe: 'object',
    proxyStatsMatcher: 'object',
    holdApplicationUntilProxyStarts: 'bool',
    caCertificatesPem: STRINGS,
    image: { fields: { imageType: 'string' } },
    privateKeyProvider: 'object',
    proxyHeaders: 'object',
    fileFlushInterval: 'duration',
    fileFlushMinSizeKb: 'uint',
    statsCompression: 'bool',
    connectionSettings: 'object',
  },
  oneofs: [['serviceCluster', 'tracingServiceName']],
};

const PROVIDERS = [
  'envoyExtAuthzHttp',
  'envoyExtAuthzGrpc',
  'zipkin',
  'lightstep',
  'datadog',
  'stackdriver',
  'skywalking',
  'opentelemetry',
  'prometheus',
  'envoyFileAccessLog',
  'envoyHttpAls',
  'envoyTcpAls',
  'envoyOtelAls',
  'sds',
] as const;

/** MeshConfig's fields (istio.io/api mesh/v1alpha1 config.proto). */
const MESH_CONFIG: MessageShape = {
  fields: {
    proxyListenPort: 'int',
    proxyInboundListenPort: 'int',
    proxyHttpPort: 'int',
    connectTimeout: 'duration',
    hboneIdleTimeout: 'duration',
    protocolDetectionTimeout: 'duration',
    tcpKeepalive: 'object',
    ingressClass: 'string',
    ingressService: 'string',
    ingressControllerMode: {
      enum: ['UNSPECIFIED', 'OFF', 'DEFAULT', 'STRICT'],
    },
    ingressSelector: 'string',
    enableTracing: 'bool',
    accessLogFile: 'string',
    accessLogFormat: 'string',
    accessLogEncoding: { enum: ['TEXT', 'JSON'] },
    enableEnvoyAccessLogService: 'bool',
    disableEnvoyListenerLog: 'bool',
    defaultConfig: PROXY_CONFIG,
    outboundTrafficPolicy: {
      fields: { mode: { enum: ['REGISTRY_ONLY', 'ALLOW_ANY'] } },
    },
    inboundTrafficPolicy: {
      fields: { mode: { enum: ['PASSTHROUGH', 'LOCALHOST'] } },
    },
    configSources: OBJECT_LIST,
    enableAutoMtls: 'bool',
    trustDomain: 'string',
    trustDomainAliases: STRINGS,
    caCertificates: OBJECT_LIST,
    defaultServiceExportTo: STRINGS,
    defaultVirtualServiceExportTo: STRINGS,
    defaultDestinationRuleExportTo: STRINGS,
    rootNamespace: 'string',
    localityLbSetting: 'object',
    zoneAwareLbSetting: 'object',
    dnsRefreshRate: 'duration',
    h2UpgradePolicy: { enum: ['DO_NOT_UPGRADE', 'UPGRADE'] },
    inboundClusterStatName: 'string',
    outboundClusterStatName: 'string',
    certificates: OBJECT_LIST,
    serviceSettings: OBJECT_LIST,
    serviceScopeConfigs: OBJECT_LIST,
    enablePrometheusMerge: 'bool',
    verifyCertificateAtClient: 'bool',
    ca: 'object',
    extensionProviders: {
      list: {
        fields: {
          name: 'string',
          ...Object.fromEntries(PROVIDERS.map(p => [p, 'object' as Shape])),
        },
        oneofs: [PROVIDERS],
      },
    },
    defaultProviders: {
      fields: { tracing: STRINGS, metrics: STRINGS, accessLogging: STRINGS },
    },
    discoverySelectors: OBJECT_LIST,
    pathNormalization: 'object',
    defaultHttpRetryPolicy: 'object',
    meshMTLS: 'object',
    tlsDefaults: 'object',
    defaultTrafficPolicy: 'object',
    serviceEntryVisibility: 'object',
  },
};

/** MeshNetworks (istio.io/api mesh/v1alpha1 network.proto). */
const MESH_NETWORKS: MessageShape = {
  fields: {
    networks: {
      map: {
        fields: {
          endpoints: {
            list: {
              fields: { fromCidr: 'string', fromRegistry: 'string' },
              oneofs: [['fromCidr', 'fromRegistry']],
            },
          },
          gateways: {
            list: {
              fields: {
                registryServiceName: 'string',
                address: 'string',
                port: 'uint',
                locality: 'string',
              },
              oneofs: [['registryServiceName', 'address']],
            },
          },
        },
      },
    },
  },
};

const isPort = (v: unknown) => {
  const n = Number(v);
  return Number.isInteger(n) && n >= 1 && n <= 65535;
};

/** The value checks Istio applies to a MeshConfig once it has read it (beyond types). */
function meshConfigValues(value: Record<string, unknown>): ShapeProblem[] {
  const out: ShapeProblem[] = [];
  const listen = field(value, 'proxyListenPort');
  if (listen !== undefined && listen !== null && !isPort(listen))
    out.push({
      path: '/proxyListenPort',
      message: 'must be a port in 1..65535',
    });
  const timeout = field(value, 'connectTimeout');
  if (typeof timeout === 'string') {
    const s = durationSeconds(timeout)!;
    if (s < 0.001 || s > 3600)
      out.push({
        path: '/connectTimeout',
        message: 'must be between 1ms and 1h',
      });
  }
  return out;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const IPV4 =
  /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const isIp = (s: string) =>
  IPV4.test(s) || (s.includes(':') && /^[0-9a-fA-F:.]+$/.test(s));
const isCidr = (s: string) => {
  const [ip, bits, extra] = s.split('/');
  if (extra !== undefined || !/^\d+$/.test(bits ?? '') || !isIp(ip))
    return false;
  return Number(bits) <= (IPV4.test(ip) ? 32 : 128);
};
const isFqdn = (s: string) =>
  s.length <= 255 && s.split('.').every(l => DNS_LABEL.test(l.toLowerCase()));

/** The value checks Istio applies to MeshNetworks (CIDRs, registry names, gateway addresses, ports). */
function meshNetworksValues(value: Record<string, unknown>): ShapeProblem[] {
  const out: ShapeProblem[] = [];
  const networks = field(value, 'networks');
  if (!networks || typeof networks !== 'object') return out;
  for (const [name, network] of Object.entries(networks)) {
    const at = `/networks/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    const endpoints = field(network, 'endpoints');
    (Array.isArray(endpoints) ? endpoints : []).forEach((e, i) => {
      const cidr = field(e, 'fromCidr');
      const registry = field(e, 'fromRegistry');
      if (typeof cidr === 'string' && !isCidr(cidr))
        out.push({
          path: `${at}/endpoints/${i}/fromCidr`,
          message: `"${cidr}" is not a valid CIDR`,
        });
      if (typeof registry === 'string' && !DNS_LABEL.test(registry))
        out.push({
          path: `${at}/endpoints/${i}/fromRegistry`,
          message: `invalid registry name "${registry}"`,
        });
    });
    const gateways = field(network, 'gateways');
    (Array.isArray(gateways) ? gateways : []).forEach((g, i) => {
      const service = field(g, 'registryServiceName');
      const address = field(g, 'address');
      if (typeof service === 'string' && !isFqdn(service))
        out.push({
          path: `${at}/gateways/${i}/registryServiceName`,
          message: `"${service}" is not a valid host name`,
        });
      if (typeof address === 'string' && !isIp(address))
        out.push({
          path: `${at}/gateways/${i}/address`,
          message: `"${address}" is not a valid IP address`,
        });
      if (!isPort(field(g, 'port')))
        out.push({
          path: `${at}/gateways/${i}/port`,
          message: 'must be a port in 1..65535',
        });
    });
  }
  return out;
}

function checker(
  shape: MessageShape,
  values: (v: Record<string, unknown>) => ShapeProblem[],
) {
  return (value: unknown) => {
    const { errors, warnings } = checkShape(value, shape);
    return {
      errors: errors.length ? errors : values(value as Record<string, unknown>),
      warnings,
    };
  };
}

/**
 * The `istio` ConfigMap the control plane reads its mesh config from: `istio` in `istio-system`
 * (the default revision's, as istioctl reads it), else `istio-<rev>` of the revision the `default`
 * revision tag points at, else the only revision's. Revision ConfigMaps are told from the other
 * `istio-*` ConfigMaps by their `istio.io/rev` label. Pure.
 */
export function meshConfigMapOf(snapshot: Snapshot): KubeObject | undefined {
  const maps = snapshot.list('v1', 'ConfigMap', ISTIO_SYSTEM);
  const plain = maps.find(cm => cm.metadata.name === 'istio');
  if (plain) return plain;
  const revisions = maps.filter(cm => {
    const rev = cm.metadata.labels?.[REVISION_LABEL];
    return rev !== undefined && cm.metadata.name === `istio-${rev}`;
  });
  const tagged = snapshot
    .list('admissionregistration.k8s.io/v1', 'MutatingWebhookConfiguration')
    .find(w => w.metadata.labels?.[TAG_LABEL] === 'default')?.metadata.labels?.[
    REVISION_LABEL
  ];
  return (
    revisions.find(cm => cm.metadata.labels?.[REVISION_LABEL] === tagged) ??
    (revisions.length === 1 ? revisions[0] : undefined)
  );
}

/** Where a cluster keeps one key of the mesh config ConfigMap (see {@link meshConfigMapOf}). */
function inConfigMap(key: string) {
  return {
    inputs: [
      { apiVersion: 'v1', kind: 'ConfigMap' },
      {
        apiVersion: 'admissionregistration.k8s.io/v1',
        kind: 'MutatingWebhookConfiguration',
      },
    ],
    find(snapshot: Snapshot) {
      const object = meshConfigMapOf(snapshot);
      return object && { object, key };
    },
  };
}

/**
 * Istio's MeshConfig file (istioctl's `--meshConfigFile`): read as `MeshConfig
 * istio-system/meshconfig`. Errors are what Istio rejects (wrong types, unknown enum values, ports,
 * connect timeout); unknown fields are warnings (Istio's reader ignores them).
 * @public
 */
export const ISTIO_MESH_CONFIG = {
  title: 'mesh config',
  apiVersion: MESH_API_VERSION,
  kind: 'MeshConfig',
  name: 'meshconfig',
  namespace: ISTIO_SYSTEM,
  check: checker(MESH_CONFIG, meshConfigValues),
  /** On a cluster: the `mesh` key of the control plane's `istio` ConfigMap. */
  inCluster: inConfigMap('mesh'),
};

/**
 * Istio's MeshNetworks file (istioctl's `--meshNetworksFile`): read as `MeshNetworks
 * istio-system/meshnetworks`, checked as Istio checks it.
 * @public
 */
export const ISTIO_MESH_NETWORKS = {
  title: 'mesh networks',
  apiVersion: MESH_API_VERSION,
  kind: 'MeshNetworks',
  name: 'meshnetworks',
  namespace: ISTIO_SYSTEM,
  check: checker(MESH_NETWORKS, meshNetworksValues),
  /** On a cluster: the `meshNetworks` key of the control plane's `istio` ConfigMap. */
  inCluster: inConfigMap('meshNetworks'),
};

/** The mesh-wide settings analyzers read, with Istio's defaults applied. */
export interface MeshSettings {
  /** Where mesh-wide policies live (`rootNamespace`, default `istio-system`). */
  rootNamespace: string;
  /** `ingressControllerMode`; `OFF` means istioctl assumes no default ingress gateway. */
  ingressControllerMode: string;
  /** `ingressService`: the default ingress gateway's Service name. */
  ingressService: string;
  /** `defaultConfig.proxyMetadata`. */
  proxyMetadata: Readonly<Record<string, string>>;
  /** `defaultConfig.image.imageType` (`default`, `debug`, `distroless`), when set. */
  imageType?: string;
  /** `extensionProviders` as given (Istio's built-in ones are added by readers that need them). */
  extensionProviders: ReadonlyArray<Record<string, unknown>>;
  /** `defaultProviders`. */
  defaultProviders: {
    tracing: string[];
    metrics: string[];
    accessLogging: string[];
  };
}

const DEFAULTS: MeshSettings = {
  rootNamespace: ISTIO_SYSTEM,
  ingressControllerMode: 'STRICT',
  ingressService: 'istio-ingressgateway',
  proxyMetadata: {},
  extensionProviders: [],
  defaultProviders: { tracing: [], metrics: [], accessLogging: [] },
};

const strings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : [];

/** MeshSettings from a MeshConfig document, defaults where a field is unset. Pure. */
export function meshSettings(doc: unknown): MeshSettings {
  const str = (v: unknown, d: string) => (typeof v === 'string' && v ? v : d);
  const proxy = field(doc, 'defaultConfig');
  const metadata = field(proxy, 'proxyMetadata');
  const providers = field(doc, 'defaultProviders');
  const imageType = field(field(proxy, 'image'), 'imageType');
  return {
    rootNamespace: str(field(doc, 'rootNamespace'), DEFAULTS.rootNamespace),
    ingressControllerMode: str(
      field(doc, 'ingressControllerMode'),
      DEFAULTS.ingressControllerMode,
    ),
    ingressService: str(field(doc, 'ingressService'), DEFAULTS.ingressService),
    proxyMetadata: Object.fromEntries(
      Object.entries(
        metadata && typeof metadata === 'object' ? metadata : {},
      ).filter((e): e is [string, string] => typeof e[1] === 'string'),
    ),
    ...(typeof imageType === 'string' && imageType && { imageType }),
    extensionProviders: (Array.isArray(field(doc, 'extensionProviders'))
      ? (field(doc, 'extensionProviders') as unknown[])
      : []
    ).filter(
      (p): p is Record<string, unknown> => Boolean(p) && typeof p === 'object',
    ),
    defaultProviders: {
      tracing: strings(field(providers, 'tracing')),
      metrics: strings(field(providers, 'metrics')),
      accessLogging: strings(field(providers, 'accessLogging')),
    },
  };
}

/** The `istio` ConfigMap of the control plane (`istio-<revision>` for revisions), if any. */
export function meshConfigMaps(snapshot: Snapshot): KubeObject[] {
  return snapshot
    .list('v1', 'ConfigMap', ISTIO_SYSTEM)
    .filter(
      cm =>
        cm.metadata.name === 'istio' || cm.metadata.name.startsWith('istio-'),
    );
}

/**
 * The top-level scalar fields of a MeshConfig's YAML text (`rootNamespace: x`). Adapters carry no
 * YAML parser; the settings read from a ConfigMap are these scalars (nested ones come only from a
 * MeshConfig object, i.e. `--mesh-config`).
 */
export function topLevelScalars(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m =
      /^([A-Za-z_]\w*)\s*:\s*(?:"([^"]*)"|'([^']*)'|([^\s#'"][^#]*?))\s*(?:#.*)?$/.exec(
        line,
      );
    if (m) out[m[1]] = m[2] ?? m[3] ?? m[4];
  }
  return out;
}

/** The MeshConfig document in effect: the MeshConfig object, else the `istio` ConfigMap's `mesh`. */
function meshConfigDocument(snapshot: Snapshot): unknown {
  const object = snapshot.list(MESH_API_VERSION, 'MeshConfig')[0];
  if (object) return object.spec ?? {};
  const cm = meshConfigMaps(snapshot).find(c => c.metadata.name === 'istio');
  const text = (cm as { data?: Record<string, unknown> } | undefined)?.data
    ?.mesh;
  return typeof text === 'string' ? topLevelScalars(text) : {};
}

const cache = new WeakMap<Snapshot, MeshSettings>();

/** The mesh settings of a snapshot (see the module comment), computed once per snapshot. */
export function meshConfigOf(snapshot: Snapshot): MeshSettings {
  let settings = cache.get(snapshot);
  if (!settings) {
    settings = meshSettings(meshConfigDocument(snapshot));
    cache.set(snapshot, settings);
  }
  return settings;
}

/** The MeshNetworks object of the snapshot (`--mesh-networks`), if any. */
export function meshNetworksObject(snapshot: Snapshot): KubeObject | undefined {
  return snapshot.list(MESH_API_VERSION, 'MeshNetworks')[0];
}
