import type { Finding } from '@meshstage/plugin-mesh-common';
import type { Analyzer, KubeObject } from '@meshstage/plugin-mesh-node';
import {
  findingFor,
  labelsMatch,
  podTemplates,
  WORKLOAD_INPUTS,
} from '@meshstage/plugin-mesh-node';
import { arr, inputs, IstioCode, NETWORKING, specOf } from './common';

const CODE: IstioCode = {
  code: 'MS0224',
  name: 'DestinationRuleCredentialNotFound',
  severity: 'error',
  summary:
    "A DestinationRule's client TLS `credentialName` names a Secret that is neither in the DestinationRule's namespace nor in the namespace of a gateway that uses it, so TLS origination fails.",
  help: "Create the Secret where the proxies originating TLS run: the DestinationRule's namespace for sidecars, the gateway's namespace (e.g. istio-system) for an egress gateway; or fix the name.",
};

/** Labels of Istio's own gateway deployments (the Helm charts' `istio` label). */
const GATEWAY_LABEL_VALUES = new Set(['ingressgateway', 'egressgateway']);

/** Every `tls` block of a DestinationRule (traffic policy, port-level, subsets) and its pointer. */
function tlsBlocks(
  spec: Record<string, any>,
): Array<{ tls: any; path: string }> {
  const fromPolicy = (policy: any, base: string) => {
    if (!policy || typeof policy !== 'object') return [];
    return [
      { tls: policy.tls, path: `${base}/tls` },
      ...arr(policy.portLevelSettings).map((p: any, i: number) => ({
        tls: p?.tls,
        path: `${base}/portLevelSettings/${i}/tls`,
      })),
    ];
  };
  return [
    ...fromPolicy(spec.trafficPolicy, '/spec/trafficPolicy'),
    ...arr(spec.subsets).flatMap((s: any, i: number) =>
      fromPolicy(s?.trafficPolicy, `/spec/subsets/${i}/trafficPolicy`),
    ),
  ].filter(b => b.tls && typeof b.tls === 'object');
}

/** Whether a DestinationRule is visible in a namespace (`exportTo`; all namespaces by default). */
function exportedTo(dr: KubeObject, namespace: string): boolean {
  const exportTo = arr<string>(specOf(dr).exportTo);
  if (exportTo.length === 0) return true;
  return exportTo.some(
    e =>
      e === '*' ||
      e === namespace ||
      (e === '.' && dr.metadata.namespace === namespace),
  );
}

/**
 * MS0224: DestinationRule `tls.credentialName` Secrets that are missing. A proxy reads the Secret
 * from its own namespace: sidecars applying the rule run in the DestinationRule's namespace, and
 * gateways (Istio's ingress/egress gateway deployments, or workloads a Gateway selects) in theirs,
 * so the Secret may be in either.
 * @public
 */
export const destinationRuleCredentialsAnalyzer: Analyzer = {
  id: 'istio.destinationrule-credentials',
  description: CODE.summary,
  inputs: [
    inputs.destinationRule,
    inputs.gateway,
    inputs.secret,
    ...WORKLOAD_INPUTS,
  ],
  codes: [CODE],
  analyze(snapshot) {
    const templates = podTemplates(snapshot);
    const selectors = snapshot
      .list(NETWORKING, 'Gateway')
      .map(gw => specOf(gw).selector as Record<string, string> | undefined)
      .filter(s => s && Object.keys(s).length > 0);
    const gatewayNamespaces = [
      ...new Set(
        templates
          .filter(
            t =>
              GATEWAY_LABEL_VALUES.has(t.labels.istio) ||
              selectors.some(s => labelsMatch(s, t.labels)),
          )
          .map(t => t.owner.metadata.namespace!),
      ),
    ].sort();
    const findings: Finding[] = [];
    for (const dr of snapshot.list(NETWORKING, 'DestinationRule')) {
      const ns = dr.metadata.namespace!;
      const where = [
        ns,
        ...gatewayNamespaces.filter(g => g !== ns && exportedTo(dr, g)),
      ];
      for (const { tls, path } of tlsBlocks(specOf(dr))) {
        const name = tls.credentialName;
        if (typeof name !== 'string' || !name) continue;
        if (where.some(n => snapshot.get('v1', 'Secret', n, name))) continue;
        findings.push(
          findingFor(
            CODE,
            dr,
            `${path}/credentialName`,
            `Referenced credentialName not found: Secret "${name}" is not in namespace ${where
              .map(n => `"${n}"`)
              .join(' or ')}.`,
          ),
        );
      }
    }
    return findings;
  },
};
