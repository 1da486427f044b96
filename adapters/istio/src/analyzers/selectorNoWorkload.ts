import type { Analyzer } from '@meshstage/plugin-mesh-node';
import { findingFor } from '@meshstage/plugin-mesh-node';
import {
  anyWorkloadMatches,
  gatewayWorkloadNamespaces,
  hasWorkloads,
  inputs,
  IstioCode,
  NETWORKING,
  SECURITY,
  specOf,
} from './common';
import { WORKLOAD_INPUTS } from '@meshstage/plugin-mesh-node';
import { meshConfigOf } from './meshConfig';

const CODE: IstioCode = {
  code: 'MS0209',
  name: 'SelectorMatchesNoWorkload',
  severity: 'warning',
  summary:
    "A resource's workload selector matches no workload, so it has no effect.",
  help: 'Fix the selector labels to match the pod template labels of the intended workload (in the same namespace, or any namespace for a Gateway).',
};

/** Where each selecting kind keeps its selector, and which API version. */
const SELECTING = [
  { apiVersion: SECURITY, kind: 'PeerAuthentication', field: 'selector' },
  { apiVersion: SECURITY, kind: 'RequestAuthentication', field: 'selector' },
  {
    apiVersion: 'networking.istio.io/v1alpha3',
    kind: 'EnvoyFilter',
    field: 'workloadSelector',
  },
] as const;

/**
 * MS0209: selectors of PeerAuthentications, RequestAuthentications, EnvoyFilters and Gateways that
 * match no workload (Sidecars: MS0225; AuthorizationPolicies: MS0232; Telemetry: MS0253, which
 * check them against Pods as istioctl does). Only concluded when the snapshot holds workloads at all, so a directory of
 * policies alone is not flagged; except for Gateways, whose selector is IST0101 in istioctl
 * ("Referenced selector not found"), reported as istioctl does on files: when no pod (nor pod
 * template) in any namespace matches, and without a cluster not when it selects istioctl's default
 * ingress gateway (`istio: ingressgateway`).
 * @public
 */
export const selectorNoWorkloadAnalyzer: Analyzer = {
  id: 'istio.selector-no-workload',
  description: CODE.summary,
  inputs: [
    inputs.peerAuthentication,
    inputs.requestAuthentication,
    inputs.envoyFilter,
    inputs.sidecar,
    inputs.gateway,
    inputs.workloadEntry,
    ...WORKLOAD_INPUTS,
  ],
  codes: [CODE],
  analyze(snapshot, ctx) {
    const { rootNamespace } = meshConfigOf(snapshot);
    const findings = !hasWorkloads(snapshot)
      ? []
      : SELECTING.flatMap(s =>
          snapshot.list(s.apiVersion, s.kind).flatMap(obj => {
            const sel = specOf(obj)[s.field];
            const labels = (
              s.field === 'selector' ? sel?.matchLabels : sel?.labels
            ) as Record<string, string> | undefined;
            if (!labels || Object.keys(labels).length === 0) return [];
            const ns =
              obj.metadata.namespace === rootNamespace
                ? undefined
                : obj.metadata.namespace;
            if (anyWorkloadMatches(snapshot, labels, ns)) return [];
            return [
              findingFor(
                CODE,
                obj,
                `/spec/${s.field}/${
                  s.field === 'selector' ? 'matchLabels' : 'labels'
                }`,
                `${obj.kind} "${obj.metadata.name}" selects no workload${
                  ns ? ` in namespace "${ns}"` : ''
                } (${Object.entries(labels)
                  .map(([k, v]) => `${k}=${v}`)
                  .join(',')}).`,
              ),
            ];
          }),
        );
    for (const gw of snapshot.list(NETWORKING, 'Gateway')) {
      const labels = specOf(gw).selector as Record<string, string> | undefined;
      if (!labels || Object.keys(labels).length === 0) continue;
      if (
        anyWorkloadMatches(snapshot, labels) ||
        gatewayWorkloadNamespaces(snapshot, labels, ctx.includesCluster).length
      )
        continue;
      findings.push(
        findingFor(
          { ...CODE, istioCode: 'IST0101' },
          gw,
          '/spec/selector',
          `Referenced selector not found: Gateway "${
            gw.metadata.name
          }" selects no gateway workload (${Object.entries(labels)
            .map(([k, v]) => `${k}=${v}`)
            .join(',')}).`,
        ),
      );
    }
    return findings;
  },
};
