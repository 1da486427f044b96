/**
 * The Istio annotations istioctl knows (Istio's annotation reference, release 1.31): name, the
 * kinds it belongs on (`Any` for every kind), and whether it is alpha (istioctl's IST0136) or
 * deprecated (IST0135). An annotation in an Istio domain that is not listed is unknown (IST0108).
 * Kept as a table, one annotation a line, so a new release is a diff of lines.
 */
const TABLE = `
prometheus.istio.io/merge-metrics                       Pod                      alpha
alpha.istio.io/kubernetes-serviceaccounts               Service                  alpha deprecated
alpha.istio.io/canonical-serviceaccounts                Service                  alpha deprecated
networking.istio.io/exportTo                            Service                  alpha
sidecar.istio.io/inject                                 Pod                      deprecated
sidecar.istio.io/status                                 Pod                      alpha
sidecar.istio.io/rewriteAppHTTPProbers                  Pod                      alpha
sidecar.istio.io/discoveryAddress                       Pod                      alpha deprecated
sidecar.istio.io/proxyImage                             Pod                      alpha
sidecar.istio.io/proxyImageType                         Pod                      alpha
sidecar.istio.io/proxyCPU                               Pod                      alpha
sidecar.istio.io/proxyCPULimit                          Pod                      alpha
sidecar.istio.io/proxyMemory                            Pod                      alpha
sidecar.istio.io/proxyMemoryLimit                       Pod                      alpha
sidecar.istio.io/interceptionMode                       Pod                      alpha
sidecar.istio.io/bootstrapOverride                      Pod                      alpha
sidecar.istio.io/statsInclusionPrefixes                 Pod                      alpha deprecated
sidecar.istio.io/statsInclusionSuffixes                 Pod                      alpha deprecated
sidecar.istio.io/statsInclusionRegexps                  Pod                      alpha deprecated
sidecar.istio.io/statsHistogramBuckets                  Pod                      alpha
sidecar.istio.io/statsFlushInterval                     Pod                      alpha
sidecar.istio.io/statsEvictionInterval                  Pod                      alpha
sidecar.istio.io/statsHistogramBins                     Pod                      alpha
sidecar.istio.io/userVolume                             Pod                      alpha
sidecar.istio.io/userVolumeMount                        Pod                      alpha
status.sidecar.istio.io/port                            Pod                      alpha
sidecar.istio.io/logLevel                               Pod                      alpha
sidecar.istio.io/componentLogLevel                      Pod                      alpha
sidecar.istio.io/agentLogLevel                          Pod                      alpha
sidecar.istio.io/nativeSidecar                          Pod                      alpha
readiness.status.sidecar.istio.io/initialDelaySeconds   Pod                      alpha
readiness.status.sidecar.istio.io/periodSeconds         Pod                      alpha
readiness.status.sidecar.istio.io/failureThreshold      Pod                      alpha
readiness.status.sidecar.istio.io/applicationPorts      Pod                      alpha
traffic.istio.io/nodeSelector                           Service
traffic.sidecar.istio.io/includeOutboundIPRanges        Pod                      alpha
traffic.sidecar.istio.io/excludeOutboundIPRanges        Pod                      alpha
traffic.sidecar.istio.io/includeInboundPorts            Pod                      alpha
traffic.sidecar.istio.io/excludeInboundPorts            Pod                      alpha
traffic.sidecar.istio.io/excludeInterfaces              Pod                      alpha
traffic.sidecar.istio.io/includeOutboundPorts           Pod                      alpha
traffic.sidecar.istio.io/excludeOutboundPorts           Pod                      alpha
traffic.sidecar.istio.io/kubevirtInterfaces             Pod                      alpha deprecated
kubernetes.io/ingress.class                             Ingress
galley.istio.io/analyze-suppress                        Any                      alpha
proxy.istio.io/config                                   Pod
istio.io/dry-run                                        AuthorizationPolicy      alpha
istio.io/rev                                            Pod                      alpha
proxy.istio.io/overrides                                Pod                      alpha
inject.istio.io/templates                               Pod                      alpha
sidecar.istio.io/extraStatTags                          Pod                      alpha deprecated
istio.io/autoRegistrationGroup                          WorkloadEntry            alpha
istio.io/workloadController                             WorkloadEntry            alpha
istio.io/connectedAt                                    WorkloadEntry            alpha
istio.io/disconnectedAt                                 WorkloadEntry            alpha
topology.istio.io/controlPlaneClusters                  Namespace                alpha
gateway.istio.io/controller-version                     Any                      alpha
ambient.istio.io/redirection                            Pod
ambient.istio.io/waypoint-inbound-binding               GatewayClass,Gateway     alpha
gateway.istio.io/service-account                        Gateway                  alpha
gateway.istio.io/name-override                          Gateway                  alpha
networking.istio.io/service-type                        Gateway                  alpha
networking.istio.io/traffic-distribution                Namespace,Service,ServiceEntry alpha
istio.io/use-waypoint-canary-weight                     Service,ServiceEntry,Namespace alpha
ambient.istio.io/bypass-inbound-capture                 Pod                      alpha
istio.io/reroute-virtual-interfaces                     Pod                      alpha
ambient.istio.io/dns-capture                            Pod                      alpha
sidecar.istio.io/statsCompression                       Pod                      alpha deprecated
`;

/** What istioctl knows of one annotation. */
export interface IstioAnnotation {
  name: string;
  /** Kinds it belongs on; `Any` for every kind. */
  kinds: readonly string[];
  alpha: boolean;
  deprecated: boolean;
}

/** The catalogue by annotation name. */
export const ISTIO_ANNOTATIONS: ReadonlyMap<string, IstioAnnotation> = new Map(
  TABLE.trim()
    .split('\n')
    .map(line => {
      const [name, kinds, ...flags] = line.trim().split(/\s+/);
      return [
        name,
        {
          name,
          kinds: kinds.split(','),
          alpha: flags.includes('alpha'),
          deprecated: flags.includes('deprecated'),
        },
      ];
    }),
);

/**
 * Whether istioctl treats an annotation as Istio's: `kubernetes.io/ingress.class`, or a key whose
 * prefix (before the first `/`) ends with `istio.io`.
 */
export function isIstioAnnotation(key: string): boolean {
  if (key === 'kubernetes.io/ingress.class') return true;
  return key.split('/')[0].endsWith('istio.io');
}

/** Annotations istioctl never reports on: they are set by Istio itself, not by users. */
export const SET_BY_ISTIO: ReadonlySet<string> = new Set([
  'sidecar.istio.io/status',
  'gateway.istio.io/controller-version',
  'istio.io/rev',
]);
