import type {
  Analyzer,
  KubeObject,
  PodTemplateRef,
} from '@meshstage/plugin-mesh-node';
import {
  findingFor,
  podTemplatesMatching,
  pointerSegment,
  WORKLOAD_INPUTS,
} from '@meshstage/plugin-mesh-node';
import { arr, inputs, LinkerdCode } from './common';
import {
  opaquePortsMismatch,
  type OpaqueContainerPort,
  type OpaqueServicePort,
} from './opaquePortsCheck';
import {
  admittedPodOpaquePorts,
  admittedServiceOpaquePorts,
  injectorAdmits,
} from './opaquePortsInjector';

const CODE: LinkerdCode = {
  code: 'MS0306',
  name: 'OpaquePortsInconsistent',
  severity: 'warning',
  summary:
    'A Service marks a port opaque (`config.linkerd.io/opaque-ports`) that the pods it selects do not, through its targetPort, or the other way round (`linkerd check`: opaque ports are properly annotated).',
  help: 'Mark the port opaque on both the Service (its service port) and the pod template (the container port it targets), or on neither.',
};

export const OPAQUE_ANNOTATION = 'config.linkerd.io/opaque-ports';

/**
 * Service ports as the API server stores them (an absent targetPort is the port), each with its
 * index in `spec.ports`.
 */
function servicePorts(
  svc: KubeObject,
): Array<OpaqueServicePort & { index: number }> {
  return arr((svc.spec as any)?.ports).flatMap((p: any, index: number) =>
    typeof p?.port === 'number'
      ? [{ port: p.port, targetPort: p.targetPort ?? p.port, index }]
      : [],
  );
}

function containerPorts(t: PodTemplateRef): OpaqueContainerPort[] {
  return [...(t.spec.initContainers ?? []), ...(t.spec.containers ?? [])]
    .flatMap(c => arr((c as any).ports))
    .filter((p: any) => typeof p?.containerPort === 'number');
}

/**
 * MS0306: `linkerd check`'s "opaque ports are properly annotated", on every non-headless Service
 * with a selector and each workload it selects, after the proxy injector has written its
 * annotations on the objects it admits. @public
 */
export const opaquePortsAnalyzer: Analyzer = {
  id: 'linkerd.opaque-ports',
  description: CODE.summary,
  inputs: [inputs.service, inputs.namespace, ...WORKLOAD_INPUTS],
  codes: [CODE],
  analyze(snapshot) {
    return snapshot.list('v1', 'Service').flatMap(svc => {
      const spec = (svc.spec ?? {}) as Record<string, any>;
      const selector = spec.selector as Record<string, string> | undefined;
      // Headless Services are skipped by linkerd check; ExternalName and selector-less ones have
      // no endpoints Kubernetes derives from pods.
      if (spec.clusterIP === 'None' || spec.type === 'ExternalName') return [];
      if (!selector || Object.keys(selector).length === 0) return [];
      const ns = svc.metadata.namespace ?? 'default';
      const nsObj = snapshot.get('v1', 'Namespace', undefined, ns);
      const nsLabels = nsObj?.metadata.labels ?? {};
      const nsValue = nsObj?.metadata.annotations?.[OPAQUE_ANNOTATION];
      const ports = servicePorts(svc);
      const own = svc.metadata.annotations?.[OPAQUE_ANNOTATION];
      const serviceAnnotation = injectorAdmits(
        ns,
        nsLabels,
        svc.metadata.labels ?? {},
      )
        ? admittedServiceOpaquePorts(own, nsValue, ports)
        : own;
      const workloads = podTemplatesMatching(
        snapshot,
        { matchLabels: selector },
        ns,
      );
      return workloads.flatMap(t => {
        const cps = containerPorts(t);
        const podOwn = t.annotations[OPAQUE_ANNOTATION];
        const mismatch = opaquePortsMismatch({
          serviceName: svc.metadata.name,
          serviceAnnotation,
          ports,
          podName: `${t.owner.kind} "${t.owner.metadata.name}"`,
          podAnnotation: injectorAdmits(ns, nsLabels, t.labels)
            ? admittedPodOpaquePorts(podOwn, nsValue, cps)
            : podOwn,
          containerPorts: cps,
        });
        if (!mismatch) return [];
        let path = '/metadata';
        if (own !== undefined && mismatch.fix === 'service') {
          path = `/metadata/annotations/${pointerSegment(OPAQUE_ANNOTATION)}`;
        } else if (mismatch.portIndex !== undefined) {
          path = `/spec/ports/${ports[mismatch.portIndex].index}`;
        }
        return [findingFor(CODE, svc, path, mismatch.message)];
      });
    });
  },
};
