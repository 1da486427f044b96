import type {
  Analyzer,
  KubeObject,
  Snapshot,
} from '@meshstage/plugin-mesh-node';
import {
  findingFor,
  podTemplates,
  selectorMatches,
} from '@meshstage/plugin-mesh-node';
import { arr, inputs, IstioCode, NETWORKING, specOf } from './common';
import { IstioHosts } from './istioHosts';

const CODE: IstioCode = {
  code: 'MS0263',
  name: 'DestinationRuleSubsetNotSelectPods',
  severity: 'error',
  summary:
    'A DestinationRule subset selects no Pod, so traffic routed to it fails with 503 UH (no healthy upstream).',
  help: "Fix the subset's labels to match the Pods of the destination (e.g. their `version` label), or remove the subset.",
  istioCode: 'IST0173',
};

/** The node topology labels Istio adds to a Pod's labels (region, zone, subzone, hostname). */
function augmented(
  pod: KubeObject,
  nodes: Map<string, Record<string, string>>,
) {
  const labels = { ...(pod.metadata.labels ?? {}) };
  const nodeName = (pod.spec as { nodeName?: unknown } | undefined)?.nodeName;
  if (typeof nodeName !== 'string' || !nodeName) return labels;
  const node = nodes.get(nodeName);
  if (node) {
    const region = node['topology.kubernetes.io/region'];
    const zone = node['topology.kubernetes.io/zone'];
    const subzone = node['topology.istio.io/subzone'];
    // Istio builds the locality region/zone/subzone and stops at the first empty part.
    if (region) {
      labels['topology.kubernetes.io/region'] = region;
      if (zone) {
        labels['topology.kubernetes.io/zone'] = zone;
        if (subzone) labels['topology.istio.io/subzone'] = subzone;
      }
    }
  }
  labels['kubernetes.io/hostname'] = nodeName;
  return labels;
}

/**
 * Label sets of every Pod (with its node's topology) and, as a Pod would have, every pod template,
 * indexed by `key=value` so a subset looks up the sets carrying its first label instead of scanning
 * them all (subsets times workloads grows with the square of the configuration).
 */
class WorkloadLabels {
  readonly #all: Array<Record<string, string>> = [];
  readonly #byLabel = new Map<string, Array<Record<string, string>>>();

  constructor(snapshot: Snapshot) {
    const nodes = new Map(
      snapshot
        .list('v1', 'Node')
        .map(n => [n.metadata.name, n.metadata.labels ?? {}]),
    );
    const sets = [
      ...snapshot.list('v1', 'Pod').map(p => augmented(p, nodes)),
      ...podTemplates(snapshot)
        .filter(t => t.owner.kind !== 'Pod')
        .map(t => t.labels),
    ];
    for (const labels of sets) {
      this.#all.push(labels);
      for (const [k, v] of Object.entries(labels)) {
        const key = `${k}=${v}`;
        const list = this.#byLabel.get(key);
        if (list) list.push(labels);
        else this.#byLabel.set(key, [labels]);
      }
    }
  }

  /** Whether some label set has every label of `selector`. */
  matches(selector: Record<string, string>): boolean {
    const entries = Object.entries(selector);
    if (entries.length === 0) return this.#all.length > 0;
    const [k, v] = entries[0];
    return (this.#byLabel.get(`${k}=${v}`) ?? []).some(l =>
      selectorMatches({ matchLabels: selector }, l),
    );
  }
}

/**
 * MS0263 (IST0173): subsets of DestinationRules whose host resolves (see MS0218) that select no
 * Pod in any namespace: a subset selects by its `labels`, merged over the ServiceEntry's
 * `workloadSelector` (not a Service's selector, as istioctl), against Pods' labels with their
 * node's topology labels. Unlike istioctl, pod templates (Deployments and the like) count as Pods,
 * so a files-only run without Pods does not flag every subset.
 * @public
 */
export const destinationRuleSubsetPodsAnalyzer: Analyzer = {
  id: 'istio.destinationrule-subset-pods',
  description: CODE.summary,
  inputs: [
    inputs.destinationRule,
    inputs.service,
    inputs.serviceEntry,
    inputs.pod,
    { apiVersion: 'v1', kind: 'Node' },
    { apiVersion: 'apps/v1', kind: 'Deployment' },
    { apiVersion: 'apps/v1', kind: 'StatefulSet' },
    { apiVersion: 'apps/v1', kind: 'DaemonSet' },
  ],
  codes: [CODE],
  analyze(snapshot) {
    const rules = snapshot
      .list(NETWORKING, 'DestinationRule')
      .filter(dr => arr(specOf(dr).subsets).length > 0);
    if (rules.length === 0) return [];
    const hosts = new IstioHosts(snapshot);
    const workloads = new WorkloadLabels(snapshot);
    return rules.flatMap(dr => {
      const spec = specOf(dr);
      if (typeof spec.host !== 'string') return [];
      const entry = hosts.resolve(
        dr.metadata.namespace,
        spec.exportTo,
        spec.host,
      );
      if (!entry) return [];
      const base =
        entry.object.kind === 'ServiceEntry'
          ? specOf(entry.object).workloadSelector?.labels ?? {}
          : {};
      return arr(spec.subsets).flatMap((subset: any, i) => {
        const selector = { ...base, ...(subset?.labels ?? {}) };
        if (workloads.matches(selector)) return [];
        return [
          findingFor(
            CODE,
            dr,
            `/spec/subsets/${i}`,
            `Subset "${subset?.name}" of DestinationRule "${
              dr.metadata.name
            }" selects no Pod (${
              Object.entries(selector)
                .map(([k, v]) => `${k}=${v}`)
                .join(',') || 'any labels'
            }): traffic routed to it fails with 503 UH.`,
          ),
        ];
      });
    });
  },
};
