import type { Analyzer, Snapshot } from '@meshstage/plugin-mesh-node';
import {
  findingFor,
  labelsMatch,
  podTemplateOf,
} from '@meshstage/plugin-mesh-node';
import { inputs, IstioCode, SECURITY, specOf } from './common';
import { inMesh } from './inMesh';
import { meshConfigOf } from './meshConfig';

const CODE: IstioCode = {
  code: 'MS0232',
  name: 'NoMatchingWorkloadsFound',
  severity: 'warning',
  summary:
    'An AuthorizationPolicy applies to no Pod of the mesh: none in its namespace (or, with a selector, none matching it; mesh-wide in the root namespace).',
  help: 'Fix the selector to match the labels of the intended Pods, or move the policy to their namespace; with files only, include the Pods (istioctl matches policies against Pods, not Deployments).',
  istioCode: 'IST0127',
};

/** Labels of the Pods of the mesh (sidecar or ambient), by namespace. */
function meshPodLabels(
  snapshot: Snapshot,
): Map<string, Array<Record<string, string>>> {
  const byNs = new Map<string, Array<Record<string, string>>>();
  for (const pod of snapshot.list('v1', 'Pod')) {
    const t = podTemplateOf(pod);
    const ambient =
      pod.metadata.annotations?.['ambient.istio.io/redirection'] === 'enabled';
    if (!t || !(ambient || inMesh(snapshot, t))) continue;
    const ns = pod.metadata.namespace ?? 'default';
    const list = byNs.get(ns);
    if (list) list.push(pod.metadata.labels ?? {});
    else byNs.set(ns, [pod.metadata.labels ?? {}]);
  }
  return byNs;
}

/**
 * MS0232 (IST0127): AuthorizationPolicies that apply to no Pod of the mesh, as istioctl decides it
 * (Pods only: with files, the Pods among them; a Pod is in the mesh by its istio-proxy container,
 * its `sidecar.istio.io/inject`, its namespace's `istio-injection: enabled`, or ambient
 * redirection). In the mesh config's root namespace only a policy with a selector is checked, against
 * Pods of every namespace; elsewhere a policy without a selector needs some Pod of the mesh in its
 * namespace, and one with a selector a matching Pod there.
 * @public
 */
export const authorizationPolicyWorkloadsAnalyzer: Analyzer = {
  id: 'istio.authorizationpolicy-workloads',
  description: CODE.summary,
  inputs: [inputs.authorizationPolicy, inputs.pod, inputs.namespace],
  codes: [CODE],
  analyze(snapshot) {
    const policies = snapshot.list(SECURITY, 'AuthorizationPolicy');
    if (policies.length === 0) return [];
    const pods = meshPodLabels(snapshot);
    const noPods = snapshot.list('v1', 'Pod').length === 0;
    const note = noPods
      ? ' (no Pod is among the analyzed objects; istioctl matches policies against Pods only)'
      : '';
    const { rootNamespace } = meshConfigOf(snapshot);
    return policies.flatMap(ap => {
      const ns = ap.metadata.namespace ?? 'default';
      const selector = specOf(ap).selector;
      const matchLabels: Record<string, string> | undefined =
        selector && typeof selector === 'object'
          ? selector.matchLabels ?? {}
          : undefined;
      const shown = Object.entries(matchLabels ?? {})
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([k, v]) => `${k}=${v}`)
        .join(',');
      const matches = (list: Array<Record<string, string>> = []) =>
        list.some(labels => labelsMatch(matchLabels ?? {}, labels));
      let applies: boolean;
      if (ns === rootNamespace) {
        if (!matchLabels) return [];
        applies = [...pods.values()].some(matches);
      } else if (!matchLabels) {
        applies = (pods.get(ns) ?? []).length > 0;
      } else {
        applies = matches(pods.get(ns));
      }
      if (applies) return [];
      return [
        findingFor(
          CODE,
          ap,
          matchLabels ? '/spec/selector' : '/metadata/name',
          `AuthorizationPolicy "${
            ap.metadata.name
          }" matches no Pod of the mesh${
            matchLabels
              ? ` with labels ${shown || '(any)'}`
              : ` in namespace "${ns}"`
          }${ns === rootNamespace ? ' in any namespace' : ''}${note}.`,
        ),
      ];
    });
  },
};
