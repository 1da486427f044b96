import type { Analyzer, KubeObject } from '@meshstage/plugin-mesh-node';
import {
  findingFor,
  podTemplates,
  pointerSegment,
  WORKLOAD_INPUTS,
} from '@meshstage/plugin-mesh-node';
import { INJECT_ANNOTATION } from '../constants';
import { controlPlane, inputs, LinkerdCode } from './common';

const CODE: LinkerdCode = {
  code: 'MS0301',
  name: 'InjectionWithoutControlPlane',
  severity: 'warning',
  summary:
    'A namespace or workload asks for Linkerd injection, but no Linkerd control plane is installed.',
  help: 'Install Linkerd (its control plane, with the proxy injector) first, or remove the `linkerd.io/inject` annotation.',
};

const INJECTING = ['enabled', 'ingress'];

/**
 * MS0301: `linkerd.io/inject` with no control plane to honour it. Only concluded against a live
 * cluster: a directory of manifests rarely contains the control plane.
 * @public
 */
export const injectionWithoutControlPlaneAnalyzer: Analyzer = {
  id: 'linkerd.injection-without-control-plane',
  description: CODE.summary,
  inputs: [inputs.namespace, ...WORKLOAD_INPUTS],
  codes: [CODE],
  analyze(snapshot, ctx) {
    if (!ctx.includesCluster || controlPlane(snapshot).found) return [];
    const path = `/metadata/annotations/${pointerSegment(INJECT_ANNOTATION)}`;
    const message = (obj: KubeObject) =>
      `${obj.kind} "${obj.metadata.name}" asks for Linkerd injection (${INJECT_ANNOTATION}), but no Linkerd control plane is installed.`;
    const namespaces = snapshot
      .list('v1', 'Namespace')
      .filter(ns =>
        INJECTING.includes(ns.metadata.annotations?.[INJECT_ANNOTATION] ?? ''),
      )
      .map(ns => findingFor(CODE, ns, path, message(ns)));
    const workloads = podTemplates(snapshot)
      .filter(t => INJECTING.includes(t.annotations[INJECT_ANNOTATION] ?? ''))
      .map(t =>
        findingFor(
          CODE,
          t.owner,
          `${t.metadataPath}/annotations/${pointerSegment(INJECT_ANNOTATION)}`,
          message(t.owner),
        ),
      );
    return [...namespaces, ...workloads];
  },
};
