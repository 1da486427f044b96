import type { Analyzer } from '@meshstage/plugin-mesh-node';
import { findingFor, imageTag } from '@meshstage/plugin-mesh-node';
import { PROXY_CONTAINER } from '../constants';
import { controlPlane, inputs, LinkerdCode } from './common';

const CODE: LinkerdCode = {
  code: 'MS0307',
  name: 'ProxyVersionMismatch',
  severity: 'warning',
  summary: "A pod's linkerd-proxy version differs from the control plane's.",
  help: 'Restart the workload (`kubectl rollout restart`) so it gets the current proxy, as `linkerd check --proxy` advises.',
};

/** MS0307: data-plane proxies at another version than the control plane (when both are known). @public */
export const proxyVersionsAnalyzer: Analyzer = {
  id: 'linkerd.proxy-versions',
  description: CODE.summary,
  inputs: [inputs.pod, inputs.deployment, inputs.namespace],
  codes: [CODE],
  analyze(snapshot) {
    const { version } = controlPlane(snapshot);
    if (!version) return [];
    return snapshot.list('v1', 'Pod').flatMap(pod => {
      const spec = (pod.spec ?? {}) as {
        containers?: any[];
        initContainers?: any[];
      };
      for (const group of ['initContainers', 'containers'] as const) {
        const i = (spec[group] ?? []).findIndex(
          c => c?.name === PROXY_CONTAINER,
        );
        if (i < 0) continue;
        const tag = imageTag(spec[group]![i].image);
        if (!tag || tag === version) return [];
        return [
          findingFor(
            CODE,
            pod,
            `/spec/${group}/${i}/image`,
            `Pod "${pod.metadata.name}" runs linkerd-proxy ${tag}, but the control plane is ${version}.`,
          ),
        ];
      }
      return [];
    });
  },
};
