import type { Finding } from '@meshstage/plugin-mesh-common';
import type { Analyzer, KubeObject } from '@meshstage/plugin-mesh-node';
import { findingFor } from '@meshstage/plugin-mesh-node';
import { arr, inputs, IstioCode, NETWORKING, SECURITY } from './common';

const CODE: IstioCode = {
  code: 'MS0247',
  name: 'NegativeConditionStatus',
  severity: 'warning',
  summary:
    "A resource's status has a condition Istio sets when something is wrong (e.g. a Gateway not Accepted, a Service not bound to its waypoint).",
  help: "Read the condition's reason and message; they name what Istio could not do.",
  istioCode: 'IST0171',
};

const GATEWAY_API = 'gateway.networking.k8s.io/v1';
const ROUTE_CONDITIONS = ['Accepted', 'Programmed', 'ResolvedRefs'];

/**
 * The kinds whose status istioctl reads, the condition types it reports when `False`, and where
 * the conditions are (routes keep them per parent).
 */
const WATCHED: Array<{
  apiVersion: string;
  kind: string;
  falseTypes: string[];
  perParent?: boolean;
}> = [
  { apiVersion: 'v1', kind: 'Service', falseTypes: ['istio.io/WaypointBound'] },
  {
    apiVersion: NETWORKING,
    kind: 'ServiceEntry',
    falseTypes: ['istio.io/WaypointBound'],
  },
  {
    apiVersion: NETWORKING,
    kind: 'WorkloadEntry',
    falseTypes: ['istio.io/WaypointBound'],
  },
  {
    apiVersion: SECURITY,
    kind: 'AuthorizationPolicy',
    falseTypes: ['ZtunnelAccepted', 'WaypointAccepted'],
  },
  { apiVersion: GATEWAY_API, kind: 'Gateway', falseTypes: ROUTE_CONDITIONS },
  {
    apiVersion: GATEWAY_API,
    kind: 'HTTPRoute',
    falseTypes: ROUTE_CONDITIONS,
    perParent: true,
  },
  {
    apiVersion: GATEWAY_API,
    kind: 'GRPCRoute',
    falseTypes: ROUTE_CONDITIONS,
    perParent: true,
  },
];

/** Each condition of an object's status with its JSON pointer. */
function conditions(obj: KubeObject, perParent: boolean) {
  const status = (obj as { status?: any }).status;
  if (!status || typeof status !== 'object') return [];
  if (!perParent)
    return arr(status.conditions).map((c: any, i) => ({
      c,
      path: `/status/conditions/${i}`,
    }));
  return arr(status.parents).flatMap((p: any, i) =>
    arr(p?.conditions).map((c: any, j) => ({
      c,
      path: `/status/parents/${i}/conditions/${j}`,
    })),
  );
}

/**
 * MS0247 (IST0171): negative status conditions istioctl reports: `istio.io/WaypointBound: False`
 * on Services, ServiceEntries and WorkloadEntries; `ZtunnelAccepted` or `WaypointAccepted: False`
 * (and `WaypointAccepted` with reason `PartiallyInvalid`) on AuthorizationPolicies; `Accepted`,
 * `Programmed` or `ResolvedRefs: False` on Gateway API Gateways, HTTPRoutes and GRPCRoutes (routes:
 * each parent's conditions). Status comes from a cluster or from files that carry it.
 * @public
 */
export const negativeConditionsAnalyzer: Analyzer = {
  id: 'istio.negative-conditions',
  description: CODE.summary,
  inputs: [
    inputs.service,
    inputs.serviceEntry,
    inputs.workloadEntry,
    inputs.authorizationPolicy,
    { apiVersion: GATEWAY_API, kind: 'Gateway' },
    { apiVersion: GATEWAY_API, kind: 'HTTPRoute' },
    { apiVersion: GATEWAY_API, kind: 'GRPCRoute' },
  ],
  codes: [CODE],
  analyze(snapshot) {
    const out: Finding[] = [];
    for (const w of WATCHED) {
      for (const obj of snapshot.list(w.apiVersion, w.kind)) {
        for (const { c, path } of conditions(obj, Boolean(w.perParent))) {
          const negative =
            (w.falseTypes.includes(c?.type) && c?.status === 'False') ||
            (w.kind === 'AuthorizationPolicy' &&
              c?.type === 'WaypointAccepted' &&
              c?.reason === 'PartiallyInvalid');
          if (!negative) continue;
          out.push(
            findingFor(
              CODE,
              obj,
              path,
              `${obj.kind} "${
                obj.metadata.name
              }" has a negative condition: type=${c.type}, status=${
                c.status
              }, reason=${c.reason ?? ''}, message=${c.message ?? ''}.`,
            ),
          );
        }
      }
    }
    return out;
  },
};
