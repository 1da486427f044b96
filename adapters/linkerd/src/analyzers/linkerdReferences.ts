import type { KubeObject, Snapshot } from '@meshstage/plugin-mesh-node';
import {
  arr,
  GATEWAY,
  POLICY,
  POLICY_VERSION,
  specOf,
  targetsKind,
} from './common';

// What the route and policy analyzers read alike: the routes Linkerd's policy controller reads,
// and the kinds their references name. Pure: reads the snapshot, nothing else.

/** A (group, kind) pair a reference may name; group '' is the core group. */
export type RefKind = readonly [group: string, kind: string];

/** The objects an AuthorizationPolicy may target and that exist to be looked up. */
export const OBJECT_TARGETS: ReadonlyArray<RefKind> = [
  [POLICY, 'Server'],
  [POLICY, 'HTTPRoute'],
  [GATEWAY, 'HTTPRoute'],
  [GATEWAY, 'GRPCRoute'],
];

/** Every target Linkerd accepts for an AuthorizationPolicy: the objects, and its own Namespace. */
export const AUTHORIZATION_TARGETS: ReadonlyArray<RefKind> = [
  ...OBJECT_TARGETS,
  ['', 'Namespace'],
];

/** Whether a reference names a core Service. */
export const isServiceRef = (ref: unknown): boolean =>
  targetsKind(ref, '', 'Service');

/** Whether a reference names a Linkerd EgressNetwork. */
export const isEgressNetworkRef = (ref: unknown): boolean =>
  targetsKind(ref, POLICY, 'EgressNetwork');

/** Whether a route parent is one the policy controller writes a route status for, Service aside. */
export const isLinkerdParent = (ref: unknown): boolean =>
  targetsKind(ref, POLICY, 'Server') || isEgressNetworkRef(ref);

/** A route's `spec.parentRefs`, or none. */
export const parentRefs = (route: KubeObject): any[] =>
  arr(specOf(route).parentRefs);

/** Linkerd's own (policy.linkerd.io) HTTPRoutes. */
export const policyRoutes = (snapshot: Snapshot): readonly KubeObject[] =>
  snapshot.list(POLICY_VERSION, 'HTTPRoute');

/** Gateway API HTTPRoutes, then GRPCRoutes: Linkerd's when they attach to it. */
export const gatewayRoutes = (snapshot: Snapshot): readonly KubeObject[] =>
  ['HTTPRoute', 'GRPCRoute'].flatMap(kind =>
    snapshot.list(`${GATEWAY}/v1`, kind),
  );
