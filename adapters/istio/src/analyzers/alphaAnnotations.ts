import type { Analyzer, KubeObject } from '@meshstage/plugin-mesh-node';
import { findingFor, pointerSegment } from '@meshstage/plugin-mesh-node';
import { istioctlChecksAnnotations } from './annotations';
import { IstioCode } from './common';
import {
  ISTIO_ANNOTATIONS,
  isIstioAnnotation,
  SET_BY_ISTIO,
} from './istioAnnotationCatalog';

const CODE: IstioCode = {
  code: 'MS0234',
  name: 'AlphaAnnotation',
  severity: 'info',
  summary:
    'An Istio annotation of an alpha-phase feature, which may be incompletely supported or change.',
  help: 'Keep it if you need the feature and accept alpha support; otherwise remove it or use a stable alternative.',
  istioCode: 'IST0136',
};

/**
 * Annotations Istio's CNI plugin sets on every pod it redirects: on such a pod (no `istio-init`
 * init container) istioctl does not take them for the user's.
 */
const SET_BY_CNI = new Set([
  'sidecar.istio.io/interceptionMode',
  'traffic.sidecar.istio.io/includeInboundPorts',
  'traffic.sidecar.istio.io/excludeInboundPorts',
  'traffic.sidecar.istio.io/includeOutboundIPRanges',
]);

function redirectedByCni(pod: KubeObject): boolean {
  const inits = (pod.spec as { initContainers?: Array<{ name?: string }> })
    ?.initContainers;
  return !(Array.isArray(inits) && inits.some(c => c?.name === 'istio-init'));
}

/**
 * MS0234 (IST0136): alpha Istio annotations on the own metadata of Namespaces, Services, Pods and
 * Deployments, as istioctl reports them (not those Istio sets itself, nor on a CNI-redirected pod
 * those its CNI plugin sets). Pod templates are not looked at, as istioctl does not.
 * @public
 */
export const alphaAnnotationsAnalyzer: Analyzer = {
  id: 'istio.alpha-annotations',
  description: CODE.summary,
  inputs: [
    { apiVersion: 'v1', kind: 'Namespace' },
    { apiVersion: 'v1', kind: 'Service' },
    { apiVersion: 'v1', kind: 'Pod' },
    { apiVersion: 'apps/v1', kind: 'Deployment' },
  ],
  codes: [CODE],
  analyze(snapshot) {
    return snapshot.objects.filter(istioctlChecksAnnotations).flatMap(obj => {
      const cni = obj.kind === 'Pod' && redirectedByCni(obj);
      return Object.keys(obj.metadata.annotations ?? {})
        .filter(
          key =>
            isIstioAnnotation(key) &&
            ISTIO_ANNOTATIONS.get(key)?.alpha &&
            !SET_BY_ISTIO.has(key) &&
            !(cni && SET_BY_CNI.has(key)),
        )
        .map(key =>
          findingFor(
            CODE,
            obj,
            `/metadata/annotations/${pointerSegment(key)}`,
            `Annotation "${key}" is part of an alpha-phase feature and may be incompletely supported.`,
          ),
        );
    });
  },
};
