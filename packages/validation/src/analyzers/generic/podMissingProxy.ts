import type {
  Analyzer,
  FindingCodeInfo,
  KubeObject,
} from '@meshstage/plugin-mesh-node';
import { findingFor, podTemplateOf } from '@meshstage/plugin-mesh-node';
import { injectingMeshes, podOptedOut, runsProxyOf } from './meshes';

const CODE: FindingCodeInfo = {
  code: 'MS0102',
  name: 'PodMissingProxy',
  severity: 'warning',
  summary:
    "A pod in a namespace injected for a mesh runs without that mesh's proxy.",
  help: 'Restart the pod (or roll out its workload) so the injector adds the proxy; if the pod must stay out of the mesh, opt it out explicitly (Istio: `sidecar.istio.io/inject: "false"`, Linkerd: `linkerd.io/inject: disabled`).',
  istioCode: 'IST0103',
};

/**
 * Whether istioctl reports a Pod of a namespace labelled `istio-injection: enabled` as missing its
 * proxy (IST0103): not opted out (`sidecar.istio.io/inject` label, else annotation, `false` in any
 * case), not on the host network, and no `istio-proxy` container or init container with an image.
 */
function istioctlReports(pod: KubeObject): boolean {
  const inject =
    pod.metadata.labels?.['sidecar.istio.io/inject'] ??
    pod.metadata.annotations?.['sidecar.istio.io/inject'] ??
    '';
  if (inject.toLowerCase() === 'false') return false;
  const spec = (pod.spec ?? {}) as {
    hostNetwork?: boolean;
    containers?: Array<{ name?: string; image?: string }>;
    initContainers?: Array<{ name?: string; image?: string }>;
  };
  if (spec.hostNetwork) return false;
  return ![...(spec.containers ?? []), ...(spec.initContainers ?? [])].some(
    c => c?.name === 'istio-proxy' && c.image,
  );
}

/**
 * MS0102: a running Pod in an injected namespace has no proxy of the injecting mesh (it started
 * before the namespace was labelled, or injection failed). For Istio it carries `IST0103` where
 * istioctl reports it: in namespaces labelled `istio-injection: enabled`, for pods without any
 * `istio-proxy` container (an init container without `restartPolicy: Always` counts for istioctl).
 * @public
 */
export const podMissingProxyAnalyzer: Analyzer = {
  id: 'generic.pod-missing-proxy',
  description: CODE.summary,
  inputs: [
    { apiVersion: 'v1', kind: 'Namespace' },
    { apiVersion: 'v1', kind: 'Pod' },
  ],
  codes: [CODE],
  analyze(snapshot, ctx) {
    return snapshot.list('v1', 'Namespace').flatMap(ns => {
      const meshes = injectingMeshes(ctx.meshes, ns);
      if (meshes.length === 0) return [];
      return snapshot.list('v1', 'Pod', ns.metadata.name).flatMap(pod => {
        const t = podTemplateOf(pod);
        if (!t || podOptedOut(t)) return [];
        return meshes
          .filter(m => !runsProxyOf(m, t))
          .map(m =>
            findingFor(
              // The istioctl code only applies to Istio's proxy, and istioctl only looks in
              // namespaces labelled istio-injection=enabled (not revision labels).
              {
                ...CODE,
                istioCode:
                  m.id === 'istio' &&
                  ns.metadata.labels?.['istio-injection'] === 'enabled' &&
                  istioctlReports(pod)
                    ? CODE.istioCode
                    : undefined,
              },
              pod,
              '/spec/containers',
              `Pod "${pod.metadata.name}" runs without the ${
                m.id
              } proxy (${m.injection.proxyContainerNames.join(
                ', ',
              )}) although namespace "${ns.metadata.name}" is injected for ${
                m.id
              }.`,
            ),
          );
      });
    });
  },
};
