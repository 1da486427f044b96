import type { Finding } from '@meshstage/plugin-mesh-common';
import type { Analyzer, KubeObject } from '@meshstage/plugin-mesh-node';
import { findingFor, labelsMatch } from '@meshstage/plugin-mesh-node';
import { inputs, IstioCode, specOf } from './common';

const NOT_FOUND: IstioCode = {
  code: 'MS0253',
  name: 'TelemetrySelectorNotFound',
  severity: 'error',
  summary:
    "A Telemetry's selector matches no Pod of its namespace, so it applies to nothing.",
  help: 'Fix the selector to match the labels of Pods in the Telemetry’s namespace; with files only, include the Pods (istioctl matches Telemetry selectors against Pods).',
  istioCode: 'IST0101',
};
const CONFLICT: IstioCode = {
  code: 'MS0254',
  name: 'ConflictingTelemetryWorkloadSelectors',
  severity: 'error',
  summary:
    'Several Telemetry resources select the same Pod, which leads to undefined behavior.',
  help: 'Make the Telemetries’ selectors disjoint, or merge them into one.',
  istioCode: 'IST0159',
};

const TELEMETRY = 'telemetry.istio.io/v1';

/**
 * MS0253 (IST0101) and MS0254 (IST0159): Telemetry selectors as istioctl checks them, against Pods
 * of the Telemetry's namespace only (with files, the Pods among them; the root namespace is not
 * special here). A selector matching no Pod is MS0253; each Pod several Telemetries select gives
 * MS0254 on each of them.
 * @public
 */
export const telemetrySelectorsAnalyzer: Analyzer = {
  id: 'istio.telemetry-selectors',
  description: CONFLICT.summary,
  inputs: [inputs.telemetry, inputs.pod],
  codes: [NOT_FOUND, CONFLICT],
  analyze(snapshot) {
    const out: Finding[] = [];
    const byPod = new Map<KubeObject, KubeObject[]>();
    for (const t of snapshot.list(TELEMETRY, 'Telemetry')) {
      const labels = specOf(t).selector?.matchLabels;
      if (!labels || typeof labels !== 'object' || !Object.keys(labels).length)
        continue;
      const pods = snapshot
        .list('v1', 'Pod', t.metadata.namespace)
        .filter(p => labelsMatch(labels, p.metadata.labels ?? {}));
      for (const p of pods) {
        const list = byPod.get(p);
        if (list) list.push(t);
        else byPod.set(p, [t]);
      }
      if (pods.length === 0)
        out.push(
          findingFor(
            NOT_FOUND,
            t,
            '/spec/selector/matchLabels',
            `Referenced selector not found: Telemetry "${
              t.metadata.name
            }" selects no Pod of namespace "${
              t.metadata.namespace
            }" (${Object.entries(labels)
              .map(([k, v]) => `${k}=${v}`)
              .join(',')}).`,
          ),
        );
    }
    for (const [pod, telemetries] of byPod) {
      if (telemetries.length < 2) continue;
      const names = telemetries.map(t => t.metadata.name).sort();
      for (const t of telemetries)
        out.push(
          findingFor(
            CONFLICT,
            t,
            '/spec/selector/matchLabels',
            `The Telemetries ${names.join(', ')} in namespace "${
              pod.metadata.namespace
            }" select the same Pod "${
              pod.metadata.name
            }", which leads to undefined behavior.`,
          ),
        );
    }
    return out;
  },
};
