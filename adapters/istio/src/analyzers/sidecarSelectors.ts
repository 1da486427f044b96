import type { Finding } from '@meshstage/plugin-mesh-common';
import type { Analyzer, KubeObject } from '@meshstage/plugin-mesh-node';
import {
  findingFor,
  podTemplates,
  selectorMatches,
} from '@meshstage/plugin-mesh-node';
import { inputs, IstioCode, NETWORKING, specOf } from './common';

const CONFLICT: IstioCode = {
  code: 'MS0206',
  name: 'ConflictingSidecarWorkloadSelectors',
  severity: 'error',
  summary:
    'Several Sidecar resources select the same pod; which one applies is undefined.',
  help: "Make the Sidecars' workloadSelectors disjoint, or merge them into one.",
  istioCode: 'IST0110',
};
const NO_SELECTOR: IstioCode = {
  code: 'MS0207',
  name: 'MultipleSidecarsWithoutWorkloadSelectors',
  severity: 'error',
  summary:
    'A namespace has several Sidecar resources without a workloadSelector.',
  help: 'Keep one namespace-wide Sidecar (without workloadSelector) per namespace; give the others selectors.',
  istioCode: 'IST0111',
};
const NOT_FOUND: IstioCode = {
  code: 'MS0225',
  name: 'SidecarSelectorNotFound',
  severity: 'error',
  summary:
    "A Sidecar's workloadSelector matches no pod (nor pod template) in its namespace, so it applies to nothing.",
  help: 'Fix the selector labels to match the pods of the intended workload; a Sidecar only applies to pods of its own namespace.',
  istioCode: 'IST0101',
};

function selectorOf(sc: KubeObject): Record<string, string> | undefined {
  const labels = specOf(sc).workloadSelector?.labels;
  return labels && typeof labels === 'object' && Object.keys(labels).length
    ? labels
    : undefined;
}

const AMBIENT = 'ambient.istio.io/redirection';

const INEFFECTIVE: IstioCode = {
  code: 'MS0264',
  name: 'IneffectivePolicy',
  severity: 'warning',
  summary:
    'A Sidecar applies to ambient-mode workloads (a selected Pod redirected by ambient, or a namespace in ambient mode), where it has no effect.',
  help: 'Remove the Sidecar, or take the workload or namespace out of ambient mode if it needs a sidecar.',
  istioCode: 'IST0167',
};

/** A namespace in ambient mode, as istioctl reads it: ambient data plane, no sidecar injection label. */
function ambientNamespace(ns: KubeObject | undefined): boolean {
  const labels = ns?.metadata.labels ?? {};
  if (labels['istio-injection'] === 'enabled') return false;
  if (labels['istio.io/rev']) return false;
  return labels['istio.io/dataplane-mode'] === 'ambient';
}

/**
 * MS0206 (IST0110), MS0207 (IST0111), MS0225 (IST0101) and MS0264 (IST0167): Sidecars as istioctl's selector
 * analyzer reads them. Selectors are matched against the Pods of the Sidecar's namespace: two
 * Sidecars selecting one Pod conflict (reported on each, per Pod; ambient pods are left out, where
 * a Sidecar has no effect at all); a selector no Pod matches is not found, which we only conclude
 * when no pod template (Deployment, StatefulSet, ...) of the namespace matches either, so a
 * directory of Deployments is not flagged. Several Sidecars without selector in one namespace
 * are MS0207, unless the namespace is in ambient mode, where Sidecars without selector, like those
 * selecting ambient Pods, have no effect (MS0264). Without any Pod in the namespace (files of Deployments), Sidecars selecting the same
 * pod template are reported as MS0206 without istioctl code (istioctl would not see them).
 * @public
 */
export const sidecarSelectorsAnalyzer: Analyzer = {
  id: 'istio.sidecar-selectors',
  description: 'Sidecar resources whose selectors overlap or match nothing.',
  inputs: [
    inputs.sidecar,
    inputs.pod,
    { apiVersion: 'apps/v1', kind: 'Deployment' },
    { apiVersion: 'apps/v1', kind: 'StatefulSet' },
    { apiVersion: 'apps/v1', kind: 'DaemonSet' },
  ],
  codes: [CONFLICT, NO_SELECTOR, NOT_FOUND, INEFFECTIVE],
  analyze(snapshot) {
    const findings: Finding[] = [];
    const byNs = new Map<string, KubeObject[]>();
    for (const sc of snapshot.list(NETWORKING, 'Sidecar')) {
      const ns = sc.metadata.namespace ?? 'default';
      byNs.set(ns, [...(byNs.get(ns) ?? []), sc]);
    }
    for (const [ns, sidecars] of byNs) {
      const ineffective = new Set<KubeObject>();
      const global = sidecars.filter(sc => !selectorOf(sc));
      if (ambientNamespace(snapshot.get('v1', 'Namespace', undefined, ns))) {
        for (const sc of global) ineffective.add(sc);
      } else if (global.length > 1) {
        const names = global.map(s => s.metadata.name).join(', ');
        for (const sc of global)
          findings.push(
            findingFor(
              NO_SELECTOR,
              sc,
              '/spec',
              `Namespace "${ns}" has several Sidecars without workloadSelector: ${names}.`,
            ),
          );
      }
      const pods = snapshot.list('v1', 'Pod', ns);
      const selecting = new Map<KubeObject, KubeObject[]>();
      for (const sc of sidecars) {
        const labels = selectorOf(sc);
        if (!labels) continue;
        const matched = pods.filter(p =>
          selectorMatches({ matchLabels: labels }, p.metadata.labels ?? {}),
        );
        for (const p of matched)
          selecting.set(p, [...(selecting.get(p) ?? []), sc]);
        if (matched.length > 0) continue;
        if (
          podTemplates(snapshot, ns).some(t =>
            selectorMatches({ matchLabels: labels }, t.labels),
          )
        )
          continue;
        findings.push(
          findingFor(
            NOT_FOUND,
            sc,
            '/spec/workloadSelector/labels',
            `Referenced selector not found: "${Object.entries(labels)
              .map(([k, v]) => `${k}=${v}`)
              .join(',')}" (no pod of namespace "${ns}" has these labels).`,
          ),
        );
      }
      if (pods.length === 0) {
        // Files without pods: conflicts between pod templates, beyond istioctl (which only
        // sees Pods), hence without its code.
        for (const t of podTemplates(snapshot, ns)) {
          const list = sidecars.filter(sc => {
            const labels = selectorOf(sc);
            return labels && selectorMatches({ matchLabels: labels }, t.labels);
          });
          if (list.length < 2) continue;
          const names = list.map(s => s.metadata.name).join(', ');
          for (const sc of list)
            findings.push(
              findingFor(
                { ...CONFLICT, istioCode: undefined },
                sc,
                '/spec/workloadSelector/labels',
                `The Sidecars ${names} all select ${t.owner.kind} "${t.owner.metadata.name}".`,
              ),
            );
        }
      }
      for (const [pod, list] of selecting) {
        if (pod.metadata.annotations?.[AMBIENT] === 'enabled') {
          for (const sc of list) ineffective.add(sc);
          continue;
        }
        if (list.length < 2) continue;
        const names = list.map(s => s.metadata.name).join(', ');
        for (const sc of list)
          findings.push(
            findingFor(
              CONFLICT,
              sc,
              '/spec/workloadSelector/labels',
              `The Sidecars ${names} in namespace ${ns} select the same workload pod ${pod.metadata.name}.`,
            ),
          );
      }
      for (const sc of ineffective)
        findings.push(
          findingFor(
            INEFFECTIVE,
            sc,
            selectorOf(sc) ? '/spec/workloadSelector/labels' : '/metadata/name',
            `Sidecar "${sc.metadata.name}" has no effect: ${
              selectorOf(sc)
                ? 'a workload it selects is in ambient mode'
                : `namespace "${ns}" is in ambient mode`
            }.`,
          ),
        );
    }
    return findings;
  },
};
