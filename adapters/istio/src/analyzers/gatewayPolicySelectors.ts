import type { Finding } from '@meshstage/plugin-mesh-common';
import type { Analyzer } from '@meshstage/plugin-mesh-node';
import { findingFor, labelsMatch } from '@meshstage/plugin-mesh-node';
import { inputs, IstioCode, SECURITY, specOf } from './common';

const CODE: IstioCode = {
  code: 'MS0259',
  name: 'IneffectiveSelector',
  severity: 'warning',
  summary:
    'A policy selects the Pods of a Kubernetes (Gateway API) Gateway by `selector`, which has no effect on such gateways.',
  help: 'Attach the policy to the Gateway with `targetRefs` (kind Gateway, group gateway.networking.k8s.io) instead of `selector`.',
  istioCode: 'IST0166',
};

const GATEWAY_NAME_LABEL = 'gateway.networking.k8s.io/gateway-name';

const POLICIES = [
  { apiVersion: SECURITY, kind: 'AuthorizationPolicy' },
  { apiVersion: SECURITY, kind: 'RequestAuthentication' },
  { apiVersion: 'telemetry.istio.io/v1', kind: 'Telemetry' },
  { apiVersion: 'extensions.istio.io/v1alpha1', kind: 'WasmPlugin' },
];

/**
 * MS0259 (IST0166): AuthorizationPolicies, RequestAuthentications, Telemetries and WasmPlugins
 * without `targetRef` whose `selector` matches Pods of a Gateway API gateway (labelled
 * `gateway.networking.k8s.io/gateway-name`) in their namespace: one finding per such Pod, naming
 * its gateway.
 * @public
 */
export const gatewayPolicySelectorsAnalyzer: Analyzer = {
  id: 'istio.gateway-policy-selectors',
  description: CODE.summary,
  inputs: [
    inputs.authorizationPolicy,
    inputs.requestAuthentication,
    inputs.telemetry,
    { apiVersion: 'extensions.istio.io/v1alpha1', kind: 'WasmPlugin' },
    inputs.pod,
  ],
  codes: [CODE],
  analyze(snapshot) {
    const out: Finding[] = [];
    for (const { apiVersion, kind } of POLICIES) {
      for (const policy of snapshot.list(apiVersion, kind)) {
        const spec = specOf(policy);
        if (spec.targetRef) continue;
        const selector = spec.selector;
        if (!selector || typeof selector !== 'object') continue;
        for (const pod of snapshot.list(
          'v1',
          'Pod',
          policy.metadata.namespace,
        )) {
          const labels = pod.metadata.labels ?? {};
          if (!(GATEWAY_NAME_LABEL in labels)) continue;
          if (!labelsMatch(selector.matchLabels ?? {}, labels)) continue;
          out.push(
            findingFor(
              CODE,
              policy,
              '/spec/selector',
              `${kind} "${policy.metadata.name}" selects Pod "${pod.metadata.name}" of Kubernetes Gateway "${labels[GATEWAY_NAME_LABEL]}", where a selector has no effect: use targetRefs instead.`,
            ),
          );
        }
      }
    }
    return out;
  },
};
