import type { Finding } from '@meshstage/plugin-mesh-common';
import type { Analyzer, Snapshot } from '@meshstage/plugin-mesh-node';
import { findingFor, WORKLOAD_INPUTS } from '@meshstage/plugin-mesh-node';
import {
  anyWorkloadMatches,
  hasWorkloads,
  inputs,
  IstioCode,
  NETWORKING,
  ISTIO_SYSTEM,
  specOf,
} from './common';

const SELECTOR_CODE: IstioCode = {
  code: 'MS0222',
  name: 'ServiceEntryWorkloadSelectorMatchesNothing',
  severity: 'warning',
  summary:
    "A ServiceEntry's `workloadSelector` matches no WorkloadEntry and no pod in its namespace, so the service has no endpoints.",
  help: "Match `spec.workloadSelector.labels` to the labels of the WorkloadEntries (or pods) that serve it, in the ServiceEntry's namespace.",
};

const REFERENCE_CODE: IstioCode = {
  code: 'MS0223',
  name: 'WorkloadEntryReferenceNotFound',
  severity: 'warning',
  summary:
    'A WorkloadEntry names a ServiceAccount or a network that does not exist, so its identity or its reachability is wrong.',
  help: "Create the ServiceAccount in the WorkloadEntry's namespace (or fix `spec.serviceAccount`), and use a network the mesh knows (`topology.istio.io/network` on istio-system, or `meshNetworks`).",
};

/** Label that puts a namespace's workloads (on istio-system: the control plane's) on a network. */
const NETWORK_LABEL = 'topology.istio.io/network';

/**
 * The network names of `meshNetworks` (the `istio` ConfigMap's `meshNetworks` key): the keys under
 * `networks:`. Line-based, as adapters carry no YAML parser.
 */
export function meshNetworkNames(meshNetworks: string): string[] {
  const lines = meshNetworks.split('\n');
  const start = lines.findIndex(l => /^\s*networks\s*:\s*$/.test(l));
  if (start < 0) return [];
  const keyIndent = lines[start].search(/\S/);
  let childIndent: number | undefined;
  const names: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (!line.trim() || line.trim().startsWith('#')) continue;
    const indent = line.search(/\S/);
    if (indent <= keyIndent) break;
    childIndent ??= indent;
    const m = /^\s*["']?([\w.-]+)["']?\s*:/.exec(line);
    if (indent === childIndent && m) names.push(m[1]);
  }
  return names;
}

/** Networks the snapshot defines: namespace network labels and `meshNetworks`. */
function knownNetworks(snapshot: Snapshot): Set<string> {
  const networks = new Set<string>();
  for (const ns of snapshot.list('v1', 'Namespace')) {
    const network = ns.metadata.labels?.[NETWORK_LABEL];
    if (network) networks.add(network);
  }
  for (const cm of snapshot.list('v1', 'ConfigMap', ISTIO_SYSTEM)) {
    if (cm.metadata.name !== 'istio' && !cm.metadata.name.startsWith('istio-'))
      continue;
    const text = (cm as { data?: Record<string, unknown> }).data?.meshNetworks;
    if (typeof text === 'string') {
      for (const n of meshNetworkNames(text)) networks.add(n);
    }
  }
  return networks;
}

/**
 * MS0222: ServiceEntries whose `workloadSelector` selects nothing (only concluded when the snapshot
 * holds workloads or WorkloadEntries at all). MS0223: WorkloadEntries whose `serviceAccount` is
 * not in their namespace (only concluded when the snapshot holds ServiceAccounts of it) or whose
 * `network` no namespace label or `meshNetworks` defines (only when some network is defined).
 * @public
 */
export const workloadEntriesAnalyzer: Analyzer = {
  id: 'istio.workload-entries',
  description: `${SELECTOR_CODE.summary} ${REFERENCE_CODE.summary}`,
  inputs: [
    inputs.serviceEntry,
    inputs.workloadEntry,
    inputs.namespace,
    { apiVersion: 'v1', kind: 'ServiceAccount' },
    { apiVersion: 'v1', kind: 'ConfigMap' },
    ...WORKLOAD_INPUTS,
  ],
  codes: [SELECTOR_CODE, REFERENCE_CODE],
  analyze(snapshot) {
    const findings: Finding[] = [];
    if (hasWorkloads(snapshot)) {
      for (const se of snapshot.list(NETWORKING, 'ServiceEntry')) {
        const labels = specOf(se).workloadSelector?.labels as
          | Record<string, string>
          | undefined;
        if (!labels || typeof labels !== 'object') continue;
        if (Object.keys(labels).length === 0) continue;
        const ns = se.metadata.namespace;
        if (anyWorkloadMatches(snapshot, labels, ns)) continue;
        findings.push(
          findingFor(
            SELECTOR_CODE,
            se,
            '/spec/workloadSelector/labels',
            `ServiceEntry "${
              se.metadata.name
            }" selects no WorkloadEntry or pod in namespace "${ns}" (${Object.entries(
              labels,
            )
              .map(([k, v]) => `${k}=${v}`)
              .join(',')}).`,
          ),
        );
      }
    }
    const networks = knownNetworks(snapshot);
    for (const we of snapshot.list(NETWORKING, 'WorkloadEntry')) {
      const spec = specOf(we);
      const ns = we.metadata.namespace;
      const sa = spec.serviceAccount;
      if (
        typeof sa === 'string' &&
        sa &&
        snapshot.list('v1', 'ServiceAccount', ns).length > 0 &&
        !snapshot.get('v1', 'ServiceAccount', ns, sa)
      ) {
        findings.push(
          findingFor(
            REFERENCE_CODE,
            we,
            '/spec/serviceAccount',
            `WorkloadEntry "${we.metadata.name}" names ServiceAccount "${sa}", which is not in namespace "${ns}".`,
          ),
        );
      }
      const network = spec.network;
      if (
        typeof network === 'string' &&
        network &&
        networks.size > 0 &&
        !networks.has(network)
      ) {
        findings.push(
          findingFor(
            REFERENCE_CODE,
            we,
            '/spec/network',
            `WorkloadEntry "${
              we.metadata.name
            }" is on network "${network}", which the mesh does not define (known: ${[
              ...networks,
            ]
              .sort()
              .join(', ')}).`,
          ),
        );
      }
    }
    return findings;
  },
};
