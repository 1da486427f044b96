import type { Finding } from '@meshstage/plugin-mesh-common';
import type { Analyzer, KubeObject } from '@meshstage/plugin-mesh-node';
import { findingFor } from '@meshstage/plugin-mesh-node';
import { arr, inputs, IstioCode, specOf } from './common';

const CODE: IstioCode = {
  code: 'MS0272',
  name: 'SchemaWarning',
  severity: 'warning',
  summary:
    "An Istio resource passes validation with a warning from Istio's own validation (an EnvoyFilter, a workload selector without labels, a workloadSelector on a ServiceEntry with resolution NONE).",
  help: 'Follow the warning: prefer other APIs to EnvoyFilter, give the selector labels (or remove it), set a resolution other than NONE.',
  istioCode: 'IST0133',
};

const ENVOY_FILTER_WARNING =
  'EnvoyFilter exposes internal implementation details that may change at any time. Prefer other APIs if possible, and exercise extreme caution, especially around upgrades.';
const NO_LABELS = 'workload selector specified without labels';

/** `workloadSelector` as Istio reads it: absent (null too), or present with its labels. */
function workloadSelector(
  obj: KubeObject,
): { labels: Record<string, unknown> } | undefined {
  const ws = specOf(obj).workloadSelector;
  if (ws === undefined || ws === null || typeof ws !== 'object')
    return undefined;
  const labels = (ws as Record<string, unknown>).labels;
  return {
    labels:
      labels && typeof labels === 'object'
        ? (labels as Record<string, unknown>)
        : {},
  };
}

/**
 * Whether Istio rejects the selector (an empty key, a `*` in a key or value): its validation then
 * returns the error alone, dropping every warning of the resource.
 */
function selectorRejected(labels: Record<string, unknown>): boolean {
  return Object.entries(labels).some(
    ([k, v]) => k === '' || k.includes('*') || String(v).includes('*'),
  );
}

const absent = (v: unknown) => v === undefined || v === null;

/** Warnings of one resource, as Istio's validation gives them (before any error drops them). */
function warningsOf(obj: KubeObject): Array<{ path: string; text: string }> {
  const selector = workloadSelector(obj);
  if (selector && selectorRejected(selector.labels)) return [];
  const noLabels = selector && Object.keys(selector.labels).length === 0;
  const spec = specOf(obj);
  const out: Array<{ path: string; text: string }> = [];
  switch (obj.kind) {
    case 'EnvoyFilter':
      out.push({ path: '/spec', text: ENVOY_FILTER_WARNING });
      if (noLabels)
        out.push({
          path: '/spec/workloadSelector',
          text: `Envoy filter: ${NO_LABELS}, will be applied to all services in namespace`,
        });
      break;
    case 'Sidecar': {
      // An empty Sidecar is an error, returned without its warnings.
      const empty =
        arr(spec.egress).length === 0 &&
        arr(spec.ingress).length === 0 &&
        absent(spec.outboundTrafficPolicy) &&
        absent(spec.inboundConnectionPool);
      if (noLabels && !empty)
        out.push({
          path: '/spec/workloadSelector',
          text: `sidecar: ${NO_LABELS}, will be applied to all services in namespace`,
        });
      break;
    }
    case 'ServiceEntry':
      if (noLabels)
        out.push({
          path: '/spec/workloadSelector',
          text: `service entry: ${NO_LABELS}, will be applied to all services in namespace`,
        });
      // NONE is the default resolution.
      if (selector && (spec.resolution ?? 'NONE') === 'NONE')
        out.push({
          path: '/spec/workloadSelector',
          text: 'workloadSelector should not be set when resolution mode is NONE',
        });
      break;
    default:
  }
  return out;
}

/**
 * MS0272 (IST0133): the warnings Istio's validation gives these resources, which `istioctl
 * analyze` reports as schema warnings. Covered: every EnvoyFilter, workload selectors without
 * labels (EnvoyFilter, Sidecar, ServiceEntry) and a ServiceEntry workloadSelector with resolution
 * NONE. @public
 */
export const schemaWarningsAnalyzer: Analyzer = {
  id: 'istio.schema-warnings',
  description: CODE.summary,
  inputs: [inputs.envoyFilter, inputs.sidecar, inputs.serviceEntry],
  codes: [CODE],
  analyze(snapshot) {
    const objects = [
      ...snapshot.list(inputs.envoyFilter.apiVersion, 'EnvoyFilter'),
      ...snapshot.list(inputs.sidecar.apiVersion, 'Sidecar'),
      ...snapshot.list(inputs.serviceEntry.apiVersion, 'ServiceEntry'),
    ];
    return objects.flatMap((obj): Finding[] =>
      warningsOf(obj).map(w =>
        findingFor(
          CODE,
          obj,
          w.path,
          `Schema validation warning: ${w.text}.`.replace(/\.\.$/, '.'),
        ),
      ),
    );
  },
};
