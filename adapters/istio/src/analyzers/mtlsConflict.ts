import type {
  Analyzer,
  KubeObject,
  Snapshot,
} from '@meshstage/plugin-mesh-node';
import {
  findingFor,
  podTemplatesMatching,
  selectorMatches,
} from '@meshstage/plugin-mesh-node';
import {
  fqdn,
  HostIndex,
  inputs,
  IstioCode,
  NETWORKING,
  SECURITY,
  specOf,
} from './common';
import { meshConfigOf } from './meshConfig';

const CODE: IstioCode = {
  code: 'MS0208',
  name: 'MTLSModeConflict',
  severity: 'error',
  summary:
    "A DestinationRule's client TLS mode contradicts the PeerAuthentication mTLS mode of the workloads it targets (STRICT server, DISABLE client; or DISABLE server, ISTIO_MUTUAL client).",
  help: 'Make them agree: with STRICT mTLS set the DestinationRule to `ISTIO_MUTUAL` (or drop its `tls` so auto-mTLS applies); with DISABLE use `DISABLE` on the client.',
};

/**
 * Workload-level PeerAuthentications of each namespace by the first `key=value` of their
 * selector, with their list position, built once per snapshot: looking them up per workload
 * instead of scanning the namespace's policies keeps the rule linear.
 */
const selectivePolicies = new WeakMap<
  Snapshot,
  Map<string, Map<string, Array<{ pa: KubeObject; order: number }>>>
>();

/** The first (in list order) workload-level PeerAuthentication of `ns` that selects `labels`. */
function workloadPolicy(
  snapshot: Snapshot,
  ns: string,
  labels: Record<string, string>,
): KubeObject | undefined {
  let byNs = selectivePolicies.get(snapshot);
  if (!byNs) {
    byNs = new Map();
    selectivePolicies.set(snapshot, byNs);
  }
  let index = byNs.get(ns);
  if (!index) {
    index = new Map();
    snapshot.list(SECURITY, 'PeerAuthentication', ns).forEach((pa, order) => {
      const first = Object.entries(specOf(pa).selector?.matchLabels ?? {})[0];
      if (!first) return;
      const key = `${first[0]}=${first[1]}`;
      index!.set(key, [...(index!.get(key) ?? []), { pa, order }]);
    });
    byNs.set(ns, index);
  }
  let best: { pa: KubeObject; order: number } | undefined;
  for (const [k, v] of Object.entries(labels)) {
    for (const c of index.get(`${k}=${v}`) ?? []) {
      if (best && best.order <= c.order) continue;
      if (selectorMatches(specOf(c.pa).selector, labels)) best = c;
    }
  }
  return best?.pa;
}

const namespacePolicies = new WeakMap<
  Snapshot,
  Map<string, KubeObject | undefined>
>();

/** The first namespace-wide (selector-less) PeerAuthentication of `ns`, memoized per snapshot. */
function namespacePolicy(
  snapshot: Snapshot,
  ns: string,
): KubeObject | undefined {
  let byNs = namespacePolicies.get(snapshot);
  if (!byNs) {
    byNs = new Map();
    namespacePolicies.set(snapshot, byNs);
  }
  if (!byNs.has(ns)) {
    byNs.set(
      ns,
      snapshot
        .list(SECURITY, 'PeerAuthentication', ns)
        .find(pa => !specOf(pa).selector),
    );
  }
  return byNs.get(ns);
}

/** The PeerAuthentication mode that applies to a workload with `labels` in `ns`: workload, namespace, mesh. */
function effectiveMode(
  snapshot: Snapshot,
  ns: string,
  labels: Record<string, string> | undefined,
): { mode: string; policy: KubeObject } | undefined {
  const candidates = [
    labels && workloadPolicy(snapshot, ns, labels),
    namespacePolicy(snapshot, ns),
    namespacePolicy(snapshot, meshConfigOf(snapshot).rootNamespace),
  ];
  for (const pa of candidates) {
    const mode = pa && specOf(pa).mtls?.mode;
    // UNSET inherits from the parent level, as Istio resolves it.
    if (pa && typeof mode === 'string' && mode !== 'UNSET')
      return { mode, policy: pa };
  }
  return undefined;
}

/** MS0208: client TLS mode against server mTLS mode. @public */
export const mtlsConflictAnalyzer: Analyzer = {
  id: 'istio.mtls-conflict',
  description: CODE.summary,
  inputs: [
    inputs.destinationRule,
    inputs.peerAuthentication,
    inputs.service,
    inputs.serviceEntry,
    inputs.pod,
    { apiVersion: 'apps/v1', kind: 'Deployment' },
  ],
  codes: [CODE],
  analyze(snapshot) {
    const hosts = new HostIndex(snapshot);
    return snapshot.list(NETWORKING, 'DestinationRule').flatMap(dr => {
      const spec = specOf(dr);
      const clientMode = spec.trafficPolicy?.tls?.mode;
      if (
        typeof spec.host !== 'string' ||
        (clientMode !== 'DISABLE' && clientMode !== 'ISTIO_MUTUAL')
      )
        return [];
      const svc = hosts.service(fqdn(spec.host, dr.metadata.namespace));
      if (!svc) return [];
      const ns = svc.metadata.namespace!;
      const selector = (svc.spec as any)?.selector as
        | Record<string, string>
        | undefined;
      const workloads = selector
        ? podTemplatesMatching(snapshot, { matchLabels: selector }, ns)
        : [];
      const modes = workloads.length
        ? workloads.map(t => effectiveMode(snapshot, ns, t.labels))
        : [effectiveMode(snapshot, ns, undefined)];
      const conflict = modes.find(
        m =>
          m &&
          ((m.mode === 'STRICT' && clientMode === 'DISABLE') ||
            (m.mode === 'DISABLE' && clientMode === 'ISTIO_MUTUAL')),
      );
      if (!conflict) return [];
      return [
        findingFor(
          CODE,
          dr,
          '/spec/trafficPolicy/tls/mode',
          `DestinationRule "${dr.metadata.name}" sets client TLS mode ${clientMode} for ${spec.host}, but PeerAuthentication ${conflict.policy.metadata.namespace}/${conflict.policy.metadata.name} sets mTLS mode ${conflict.mode} on its workloads: requests will fail.`,
        ),
      ];
    });
  },
};
