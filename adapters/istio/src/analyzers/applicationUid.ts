import type { Analyzer, KubeObject } from '@meshstage/plugin-mesh-node';
import { findingFor, podTemplateOf } from '@meshstage/plugin-mesh-node';
import { PROXY_CONTAINER } from '../constants';
import { arr, isIstioOwned, IstioCode } from './common';

const CODE: IstioCode = {
  code: 'MS0252',
  name: 'InvalidApplicationUID',
  severity: 'warning',
  summary:
    'An application Pod or Deployment runs as user ID 1337, which is reserved for the sidecar proxy: its traffic bypasses the proxy.',
  help: 'Run the application as another user ID (`securityContext.runAsUser`).',
  istioCode: 'IST0144',
};

const PROXY_UID = 1337;

/** Where a pod spec runs as UID 1337: the pod's securityContext, or a non-proxy container's. */
function uidPaths(obj: KubeObject): string[] {
  const t = podTemplateOf(obj);
  if (!t) return [];
  const spec = t.spec as { securityContext?: { runAsUser?: unknown } };
  const out: string[] = [];
  if (spec.securityContext?.runAsUser === PROXY_UID)
    out.push(`${t.specPath}/securityContext/runAsUser`);
  arr(t.spec.containers).forEach((c: any, i) => {
    if (c?.name === PROXY_CONTAINER || c?.name === 'istio-operator') return;
    if (c?.securityContext?.runAsUser === PROXY_UID)
      out.push(`${t.specPath}/containers/${i}/securityContext/runAsUser`);
  });
  return out;
}

/**
 * MS0252 (IST0144): Pods and Deployments (not Istio's own: labelled `istio` or `release: istio`)
 * whose pod securityContext or a container other than `istio-proxy` and `istio-operator` runs as
 * UID 1337. One finding per object, at the first such place.
 * @public
 */
export const applicationUidAnalyzer: Analyzer = {
  id: 'istio.application-uid',
  description: CODE.summary,
  inputs: [
    { apiVersion: 'v1', kind: 'Pod' },
    { apiVersion: 'apps/v1', kind: 'Deployment' },
  ],
  codes: [CODE],
  analyze(snapshot) {
    return [
      ...snapshot.list('v1', 'Pod'),
      ...snapshot.list('apps/v1', 'Deployment'),
    ].flatMap(obj => {
      if (isIstioOwned(obj.metadata.labels ?? {})) return [];
      const paths = uidPaths(obj);
      if (paths.length === 0) return [];
      return [
        findingFor(
          CODE,
          obj,
          paths[0],
          `${obj.kind} "${obj.metadata.name}" runs as user ID 1337, which is reserved for the sidecar proxy: its traffic bypasses the proxy.`,
        ),
      ];
    });
  },
};
