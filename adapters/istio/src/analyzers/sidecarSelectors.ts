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
    'Several Sidecar resources select the same workload; which one applies is undefined.',
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

function selectorOf(sc: KubeObject): Record<string, string> | undefined {
  const labels = specOf(sc).workloadSelector?.labels;
  return labels && Object.keys(labels).length ? labels : undefined;
}

/** MS0206 (IST0110) and MS0207 (IST0111): overlapping Sidecar selectors. @public */
export const sidecarSelectorsAnalyzer: Analyzer = {
  id: 'istio.sidecar-selectors',
  description: 'Sidecar resources whose selectors overlap.',
  inputs: [
    inputs.sidecar,
    inputs.pod,
    { apiVersion: 'apps/v1', kind: 'Deployment' },
  ],
  codes: [CONFLICT, NO_SELECTOR],
  analyze(snapshot) {
    const byNs = new Map<string, KubeObject[]>();
    for (const sc of snapshot.list(NETWORKING, 'Sidecar')) {
      const ns = sc.metadata.namespace!;
      byNs.set(ns, [...(byNs.get(ns) ?? []), sc]);
    }
    return [...byNs].flatMap(([ns, sidecars]) => {
      const findings = [];
      const global = sidecars.filter(sc => !selectorOf(sc));
      if (global.length > 1) {
        const names = global.map(s => s.metadata.name).join(', ');
        findings.push(
          ...global.map(sc =>
            findingFor(
              NO_SELECTOR,
              sc,
              '/spec',
              `Namespace "${ns}" has several Sidecars without workloadSelector: ${names}.`,
            ),
          ),
        );
      }
      const selective = sidecars.filter(sc => selectorOf(sc));
      if (selective.length > 1) {
        for (const t of podTemplates(snapshot, ns)) {
          const matching = selective.filter(sc =>
            selectorMatches({ matchLabels: selectorOf(sc) }, t.labels),
          );
          if (matching.length < 2) continue;
          const names = matching.map(s => s.metadata.name).join(', ');
          findings.push(
            ...matching.map(sc =>
              findingFor(
                CONFLICT,
                sc,
                '/spec/workloadSelector/labels',
                `The Sidecars ${names} all select ${t.owner.kind} "${t.owner.metadata.name}".`,
              ),
            ),
          );
        }
      }
      return findings;
    });
  },
};
