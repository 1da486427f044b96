import type { Analyzer, KubeObject } from '@meshstage/plugin-mesh-node';
import {
  apiGroup,
  findingFor,
  podTemplateOf,
  pointerSegment,
} from '@meshstage/plugin-mesh-node';
import { ANNOTATION_VALUE_CHECKS } from './annotationValues';
import { IstioCode } from './common';
import {
  ISTIO_ANNOTATIONS,
  isIstioAnnotation,
  SET_BY_ISTIO,
} from './istioAnnotationCatalog';
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
    'An Istio annotation that is deprecated and may not work in future Istio versions.',
  help: 'Remove it, or use its replacement (the `sidecar.istio.io/inject` label, `proxy.istio.io/config`, the Telemetry API).',
  istioCode: 'IST0135',
};

const INVALID: IstioCode = {
  code: 'MS0233',
  name: 'InvalidAnnotation',
  severity: 'warning',
  summary:
    "An Istio pod annotation's value is one Istio's sidecar injector rejects (a port list, CIDR list, integer, quantity or mode it cannot read).",
  help: 'Fix the value to the form the message names (e.g. `"15020,15021"` for a port list, `10.0.0.0/8` for CIDRs).',
  istioCode: 'IST0125',
};

const INJECT = 'sidecar.istio.io/inject';

/** Mixer-era annotations Istio no longer knows at all (istioctl calls them unknown). */
const REMOVED: Record<string, string> = {
  'policy.istio.io/check': 'Mixer was removed in Istio 1.8',
  'policy.istio.io/checkRetries': 'Mixer was removed in Istio 1.8',
  'policy.istio.io/checkBaseRetryWaitTime': 'Mixer was removed in Istio 1.8',
  'policy.istio.io/checkMaxRetryWaitTime': 'Mixer was removed in Istio 1.8',
};

/** Kinds whose own annotations istioctl checks (its K8sAnalyzer's inputs). */
export const ISTIOCTL_ANNOTATED_KINDS = new Set([
  '/Namespace',
  '/Service',
  '/Pod',
  'apps/Deployment',
]);

/** Whether istioctl checks the annotations of `obj`'s own metadata. */
export function istioctlChecksAnnotations(obj: KubeObject): boolean {
  return ISTIOCTL_ANNOTATED_KINDS.has(
    `${apiGroup(obj.apiVersion)}/${obj.kind}`,
  );
}

const belongsOn = (kinds: readonly string[]) =>
  kinds.map(k => (k === 'Pod' ? 'pods (the pod template)' : k)).join(', ');

/**
 * The findings of one set of annotations checked as istioctl checks them, as if on a `kind`:
 * unknown, deprecated (the `sidecar.istio.io/inject` annotation is fine beside the label),
 * misplaced, invalid value. `istio` says whether findings carry istioctl's codes (only where
 * istioctl itself looks).
 */
function check(
  obj: KubeObject,
  kind: string,
  meta: { annotations: Record<string, string>; labels: Record<string, string> },
  base: string,
  istio: boolean,
) {
  const report = (code: IstioCode, path: string, message: string) =>
    findingFor(code, obj, path, message, istio ? {} : { istioCode: undefined });
  return Object.entries(meta.annotations).flatMap(([key, value]) => {
    if (!isIstioAnnotation(key) || SET_BY_ISTIO.has(key)) return [];
    const path = `${base}/annotations/${pointerSegment(key)}`;
    const known = ISTIO_ANNOTATIONS.get(key);
    if (!known) {
      const why = REMOVED[key] ? ` (${REMOVED[key]})` : '';
      return [report(UNKNOWN, path, `Unknown annotation "${key}"${why}.`)];
    }
    const out = [];
    if (
      known.deprecated &&
      !(key === INJECT && meta.labels[INJECT] !== undefined)
    ) {
      out.push(
        report(
          DEPRECATED,
          path,
          `Annotation "${key}" is deprecated${
            key === INJECT
              ? ' in favor of the "sidecar.istio.io/inject" label'
              : ''
          } and may not work in future Istio versions.`,
        ),
      );
    }
    if (known.kinds.includes('Any')) return out;
    if (!known.kinds.includes(kind)) {
      out.push(
        report(
          MISPLACED,
          path,
          `Annotation "${key}" has no effect on a ${kind}; it belongs on ${belongsOn(
            known.kinds,
          )}.`,
        ),
      );
      return out;
    }
    const invalid = ANNOTATION_VALUE_CHECKS[key]?.(String(value));
    if (invalid)
      out.push(
        report(INVALID, path, `Invalid annotation "${key}": ${invalid}.`),
      );
    return out;
  });
}

/**
 * MS0212 (IST0108), MS0213 (IST0107), MS0214 (IST0135), MS0233 (IST0125): Istio annotations that
 * are unknown, misplaced, deprecated or have a value Istio rejects, by Istio's annotation
 * reference. The own annotations of Namespaces, Services, Pods and Deployments are checked as
 * istioctl checks them and carry its codes; pod templates and other kinds are checked the same way
 * without istioctl codes (istioctl does not look there).
 * @public
 */
export const annotationsAnalyzer: Analyzer = {
  id: 'istio.annotations',
  description: 'Unknown, misplaced, deprecated and invalid Istio annotations.',
  inputs: [
    { apiVersion: 'v1', kind: 'Namespace' },
    { apiVersion: 'v1', kind: 'Service' },
    ...WORKLOAD_INPUTS,
  ],
  codes: [UNKNOWN, MISPLACED, DEPRECATED, INVALID],
  analyze(snapshot) {
    return snapshot.objects.flatMap(obj => {
      const own = check(
        obj,
        obj.kind,
        {
          annotations: obj.metadata.annotations ?? {},
          labels: obj.metadata.labels ?? {},
        },
        '/metadata',
        istioctlChecksAnnotations(obj),
      );
      const template = obj.kind === 'Pod' ? undefined : podTemplateOf(obj);
      const inTemplate = template
        ? check(obj, 'Pod', template, template.metadataPath, false)
        : [];
      return [...own, ...inTemplate];
    });
  },
};
