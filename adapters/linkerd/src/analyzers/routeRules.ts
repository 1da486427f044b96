import type { Finding } from '@meshstage/plugin-mesh-common';
import type { Analyzer, KubeObject } from '@meshstage/plugin-mesh-node';
import { findingFor } from '@meshstage/plugin-mesh-node';
import { arr, controlPlane, inputs, LinkerdCode, specOf } from './common';
import {
  gatewayRoutes,
  isEgressNetworkRef,
  isLinkerdParent,
  parentRefs,
  policyRoutes,
} from './linkerdReferences';

const CODE: LinkerdCode = {
  code: 'MS0321',
  name: 'RouteRejected',
  severity: 'error',
  summary:
    "An HTTPRoute or GRPCRoute breaks a rule of Linkerd's policy admission webhook: an EgressNetwork parent without `port`, a path match that is not absolute, a regular expression Linkerd's (Rust) regex engine cannot compile, a `backendRequest` timeout longer than the `request` timeout, or a Service backend without `port`.",
  help: 'Fix the field named in the message: give EgressNetwork parents and Service backends a `port`, start paths with `/`, avoid look-around and back-references in regular expressions, keep `backendRequest` within `request`.',
};

/** Gateway API duration (`1h30m`, `500ms`) in milliseconds, or undefined when not one. */
export function gatewayDuration(text: unknown): number | undefined {
  if (typeof text !== 'string' || !/^([0-9]{1,5}(h|m|s|ms)){1,4}$/.test(text))
    return undefined;
  const unit = { h: 3_600_000, m: 60_000, s: 1000, ms: 1 };
  let total = 0;
  for (const m of text.matchAll(/([0-9]+)(ms|h|m|s)/g))
    total += Number(m[1]) * unit[m[2] as keyof typeof unit];
  return total;
}

/** Why Rust's `regex` crate (which Linkerd compiles matches with) rejects a pattern, if it surely does. */
export function rustRegexProblem(pattern: string): string | undefined {
  // Outside character classes and escapes; Rust's regex never supports these.
  const plain = pattern.replace(/\\./g, '__').replace(/\[[^\]]*\]/g, '_');
  if (/\(\?<?[=!]/.test(plain))
    return "look-around is not supported by Linkerd's regex engine";
  if (/\\[1-9]/.test(pattern.replace(/\\\\/g, '__')))
    return "back-references are not supported by Linkerd's regex engine";
  return undefined;
}

/** Whether a Gateway API route is Linkerd's to admit: Linkerd is installed, or a parent is a Linkerd kind. */
function linkerdRoute(route: KubeObject, installed: boolean): boolean {
  return installed || parentRefs(route).some(isLinkerdParent);
}

/**
 * MS0321: what Linkerd's policy admission webhook rejects in routes (`Validate<HttpRouteSpec>` for
 * policy.linkerd.io HTTPRoutes; `Validate<gateway::HttpRouteSpec>` and `GrpcRouteSpec` for
 * Gateway API routes, judged when a Linkerd control plane is in view or a parent is a Linkerd
 * Server or EgressNetwork, as other meshes' routes are not Linkerd's to admit): EgressNetwork
 * parents need a `port`; Exact and PathPrefix paths are absolute; path, header and query
 * regular expressions compile in Rust's `regex` (look-around and back-references never do);
 * policy routes' `backendRequest` timeout is within `request`; Gateway API Service backends have
 * a `port`. The retry and timeout annotations Linkerd also parses are not judged here.
 * @public
 */
export const routeRulesAnalyzer: Analyzer = {
  id: 'linkerd.route-rules',
  description: CODE.summary,
  inputs: [
    inputs.httpRoute,
    inputs.gatewayHttpRoute,
    inputs.gatewayGrpcRoute,
    inputs.namespace,
    inputs.deployment,
  ],
  codes: [CODE],
  analyze(snapshot) {
    const out: Finding[] = [];
    const installed = controlPlane(snapshot).found;
    const check = (route: KubeObject, gateway: boolean) => {
      const spec = specOf(route);
      const reject = (path: string, message: string) =>
        out.push(
          findingFor(
            CODE,
            route,
            path,
            `Linkerd rejects ${route.kind} "${route.metadata.name}": ${message}.`,
          ),
        );
      arr(spec.parentRefs).forEach((p, i) => {
        if (isEgressNetworkRef(p) && p.port === undefined)
          reject(
            `/spec/parentRefs/${i}`,
            'cannot target an EgressNetwork without specifying a port',
          );
      });
      arr(spec.rules).forEach((rule, r) => {
        const at = `/spec/rules/${r}`;
        arr(rule?.matches).forEach((match, m) => {
          const path = match?.path;
          const type = path?.type ?? 'PathPrefix';
          const value = path?.value;
          if (path && typeof value === 'string') {
            if (
              (type === 'Exact' || type === 'PathPrefix') &&
              !value.startsWith('/')
            )
              reject(
                `${at}/matches/${m}/path/value`,
                `HttpPathMatch paths must be absolute (begin with \`/\`); "${value}" is not an absolute path`,
              );
            if (type === 'RegularExpression') {
              const problem = rustRegexProblem(value);
              if (problem)
                reject(
                  `${at}/matches/${m}/path/value`,
                  `${problem}: "${value}"`,
                );
            }
          }
          for (const field of ['headers', 'queryParams'] as const)
            arr(match?.[field]).forEach((h, j) => {
              if (
                h?.type !== 'RegularExpression' ||
                typeof h.value !== 'string'
              )
                return;
              const problem = rustRegexProblem(h.value);
              if (problem)
                reject(
                  `${at}/matches/${m}/${field}/${j}/value`,
                  `${problem}: "${h.value}"`,
                );
            });
        });
        if (!gateway) {
          const request = gatewayDuration(rule?.timeouts?.request);
          const backend = gatewayDuration(rule?.timeouts?.backendRequest);
          if (
            request !== undefined &&
            backend !== undefined &&
            backend > request
          )
            reject(
              `${at}/timeouts/backendRequest`,
              `backendRequest timeout (${rule.timeouts.backendRequest}) must not be greater than request timeout (${rule.timeouts.request})`,
            );
        }
        if (gateway)
          arr(rule?.backendRefs).forEach((b, j) => {
            const service =
              (b?.group === undefined ||
                b.group === '' ||
                b.group === 'core') &&
              (b?.kind === undefined || b.kind === 'Service');
            if (service && (b?.port === undefined || b.port === 0))
              reject(
                `${at}/backendRefs/${j}`,
                'invalid backendRef: cannot reference a Service without a port',
              );
          });
      });
    };
    for (const route of policyRoutes(snapshot)) check(route, false);
    for (const route of gatewayRoutes(snapshot))
      if (linkerdRoute(route, installed)) check(route, true);
    return out;
  },
};
