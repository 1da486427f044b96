import type {
  Analyzer,
  KubeObject,
  Snapshot,
} from '@meshstage/plugin-mesh-node';
import {
  findingFor,
  labelsMatch,
  podTemplates,
  selectorMatches,
} from '@meshstage/plugin-mesh-node';
import {
  fqdn,
  HostIndex,
  inputs,
  IstioCode,
  NETWORKING,
  ROOT_NAMESPACE,
  SECURITY,
  specOf,
} from './common';

const CODE: IstioCode = {
  code: 'MS0208',
  name: 'MTLSModeConflict',
  severity: 'error',
  summary:
    "A DestinationRule's client TLS mode contradicts the PeerAuthentication mTLS mode of the workloads it targets (STRICT server, DISABLE client; or DISABLE server, ISTIO_MUTUAL client).",
  help: 'Make them agree: with STRICT mTLS set the DestinationRule to `ISTIO_MUTUAL` (or drop its `tls` so auto-mTLS applies); with DISABLE use `DISABLE` on the client.',
  istioCode: 'IST0113',
};

/** The PeerAuthentication mode that applies to a workload with `labels` in `ns`: workload, namespace, mesh. */
function effectiveMode(
  snapshot: Snapshot,
  ns: string,
  labels: Record<string, string> | undefined,
): { mode: string; policy: KubeObject } | undefined {
  const pas = snapshot.list(SECURITY, 'PeerAuthentication', ns);
  const candidates = [
    labels &&
      pas.find(pa => {
        const sel = specOf(pa).selector;
        return (
          sel &&
          Object.keys(sel.matchLabels ?? {}).length &&
          selectorMatches(sel, labels)
        );
      }),
    pas.find(pa => !specOf(pa).selector),
    snapshot
      .list(SECURITY, 'PeerAuthentication', ROOT_NAMESPACE)
      .find(pa => !specOf(pa).selector),
  ];
  for (const pa of candidates) {
    const mode = pa && specOf(pa).mtls?.mode;
    // UNSET inherits from the parent level, as Istio resolves it.
    if (pa && typeof mode === 'string' && mode !== 'UNSET')
      return { mode, policy: pa };
  }
  return undefined;
}

/** MS0208 (IST0113): client TLS mode against server mTLS mode. @public */
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
        ? podTemplates(snapshot, ns).filter(t =>
            labelsMatch(selector, t.labels),
          )
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
