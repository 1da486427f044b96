import type { Analyzer, KubeObject } from '@meshstage/plugin-mesh-node';
import {
  findingFor,
  podTemplateOf,
  pointerSegment,
} from '@meshstage/plugin-mesh-node';
import { IstioCode } from './common';
import { WORKLOAD_INPUTS } from '@meshstage/plugin-mesh-node';

const UNKNOWN: IstioCode = {
  code: 'MS0212',
  name: 'UnknownAnnotation',
  severity: 'warning',
  summary:
    'An annotation in an Istio domain (`*.istio.io`) that Istio does not know, usually a typo.',
  help: "Fix the annotation name; see Istio's annotation reference.",
  istioCode: 'IST0108',
};
const MISPLACED: IstioCode = {
  code: 'MS0213',
  name: 'MisplacedAnnotation',
  severity: 'warning',
  summary:
    "An Istio annotation on a kind of object it has no effect on (e.g. a pod annotation on a Deployment's own metadata or a Service).",
  help: 'Move the annotation where Istio reads it: pod annotations go in the pod template (`spec.template.metadata.annotations`).',
  istioCode: 'IST0107',
};
const DEPRECATED: IstioCode = {
  code: 'MS0214',
  name: 'DeprecatedAnnotation',
  severity: 'info',
  summary:
    'An Istio annotation that is deprecated or no longer has any effect.',
  help: 'Remove it, or use its replacement (usually `proxy.istio.io/config` or the Telemetry API).',
};

/** Istio annotations MeshStage knows, and the kinds they belong on. A compact subset of Istio's reference. */
const POD = ['Pod'];
const KNOWN: Record<string, string[]> = {
  'sidecar.istio.io/inject': POD,
  'sidecar.istio.io/proxyCPU': POD,
  'sidecar.istio.io/proxyCPULimit': POD,
  'sidecar.istio.io/proxyMemory': POD,
  'sidecar.istio.io/proxyMemoryLimit': POD,
  'sidecar.istio.io/proxyImage': POD,
  'sidecar.istio.io/logLevel': POD,
  'sidecar.istio.io/componentLogLevel': POD,
  'sidecar.istio.io/agentLogLevel': POD,
  'sidecar.istio.io/interceptionMode': POD,
  'sidecar.istio.io/bootstrapOverride': POD,
  'sidecar.istio.io/discoveryAddress': POD,
  'sidecar.istio.io/rewriteAppHTTPProbers': POD,
  'sidecar.istio.io/userVolume': POD,
  'sidecar.istio.io/userVolumeMount': POD,
  'sidecar.istio.io/status': POD,
  'sidecar.istio.io/nativeSidecar': POD,
  'traffic.sidecar.istio.io/includeOutboundIPRanges': POD,
  'traffic.sidecar.istio.io/excludeOutboundIPRanges': POD,
  'traffic.sidecar.istio.io/includeInboundPorts': POD,
  'traffic.sidecar.istio.io/excludeInboundPorts': POD,
  'traffic.sidecar.istio.io/includeOutboundPorts': POD,
  'traffic.sidecar.istio.io/excludeOutboundPorts': POD,
  'traffic.sidecar.istio.io/excludeInterfaces': POD,
  'traffic.sidecar.istio.io/kubevirtInterfaces': POD,
  'proxy.istio.io/config': POD,
  'proxy.istio.io/overrides': POD,
  'readiness.status.sidecar.istio.io/applicationPorts': POD,
  'readiness.status.sidecar.istio.io/initialDelaySeconds': POD,
  'readiness.status.sidecar.istio.io/periodSeconds': POD,
  'readiness.status.sidecar.istio.io/failureThreshold': POD,
  'status.sidecar.istio.io/port': POD,
  'prometheus.istio.io/merge-metrics': POD,
  'inject.istio.io/templates': POD,
  'istio.io/rev': ['*'],
  'istio.io/dry-run': ['AuthorizationPolicy'],
  'galley.istio.io/analyze-suppress': ['*'],
  'networking.istio.io/exportTo': ['Service'],
  'networking.istio.io/traffic-distribution': ['Service'],
  'alpha.istio.io/kubernetes-serviceaccounts': ['Service'],
  'alpha.istio.io/canonical-serviceaccounts': ['Service'],
  'ambient.istio.io/redirection': POD,
  'kubectl.kubernetes.io/default-container': POD,
};
const DEPRECATED_KEYS: Record<string, string> = {
  'sidecar.istio.io/extraStatTags': 'use the Telemetry API',
  'sidecar.istio.io/statsInclusionPrefixes':
    'use `proxy.istio.io/config` proxyStatsMatcher',
  'sidecar.istio.io/statsInclusionRegexps':
    'use `proxy.istio.io/config` proxyStatsMatcher',
  'sidecar.istio.io/statsInclusionSuffixes':
    'use `proxy.istio.io/config` proxyStatsMatcher',
  'policy.istio.io/check': 'Mixer was removed in Istio 1.8',
  'policy.istio.io/checkRetries': 'Mixer was removed in Istio 1.8',
  'policy.istio.io/checkBaseRetryWaitTime': 'Mixer was removed in Istio 1.8',
  'policy.istio.io/checkMaxRetryWaitTime': 'Mixer was removed in Istio 1.8',
};

function isIstioDomain(key: string): boolean {
  const slash = key.indexOf('/');
  if (slash < 0) return false;
  const domain = key.slice(0, slash);
  return domain === 'istio.io' || domain.endsWith('.istio.io');
}

function check(
  obj: KubeObject,
  kind: string,
  annotations: Record<string, string>,
  base: string,
) {
  return Object.keys(annotations).flatMap(key => {
    const path = `${base}/annotations/${pointerSegment(key)}`;
    if (DEPRECATED_KEYS[key]) {
      return [
        findingFor(
          DEPRECATED,
          obj,
          path,
          `Annotation "${key}" is deprecated: ${DEPRECATED_KEYS[key]}.`,
        ),
      ];
    }
    const kinds = KNOWN[key];
    if (kinds) {
      if (kinds.includes('*') || kinds.includes(kind)) return [];
      return [
        findingFor(
          MISPLACED,
          obj,
          path,
          `Annotation "${key}" has no effect on a ${kind}; it belongs on ${kinds
            .map(k => (k === 'Pod' ? 'pods (the pod template)' : k))
            .join(', ')}.`,
        ),
      ];
    }
    if (isIstioDomain(key)) {
      return [findingFor(UNKNOWN, obj, path, `Unknown annotation "${key}".`)];
    }
    return [];
  });
}

/** MS0212 (IST0108), MS0213 (IST0107), MS0214: Istio annotations that are wrong. @public */
export const annotationsAnalyzer: Analyzer = {
  id: 'istio.annotations',
  description: 'Unknown, misplaced and deprecated Istio annotations.',
  inputs: [
    { apiVersion: 'v1', kind: 'Namespace' },
    { apiVersion: 'v1', kind: 'Service' },
    ...WORKLOAD_INPUTS,
  ],
  codes: [UNKNOWN, MISPLACED, DEPRECATED],
  analyze(snapshot) {
    return snapshot.objects.flatMap(obj => {
      const own = check(
        obj,
        obj.kind,
        obj.metadata.annotations ?? {},
        '/metadata',
      );
      const template = obj.kind === 'Pod' ? undefined : podTemplateOf(obj);
      const inTemplate = template
        ? check(obj, 'Pod', template.annotations, template.metadataPath)
        : [];
      return [...own, ...inTemplate];
    });
  },
};
