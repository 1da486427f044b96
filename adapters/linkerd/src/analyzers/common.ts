import type {
  AnalyzerInput,
  FindingCodeInfo,
  KubeObject,
  Snapshot,
} from '@meshstage/plugin-mesh-node';
import { imageTag, podTemplates } from '@meshstage/plugin-mesh-node';
import { CONTROL_PLANE_NAMESPACE_LABEL } from '../constants';

/** Linkerd's policy API group; the snapshot sees every version of it. */
export const POLICY = 'policy.linkerd.io';
/** The Gateway API group, whose HTTPRoutes and GRPCRoutes Linkerd also reads. */
export const GATEWAY = 'gateway.networking.k8s.io';

export const inputs = {
  server: { apiVersion: `${POLICY}/v1beta3`, kind: 'Server' },
  serverAuthorization: {
    apiVersion: `${POLICY}/v1beta1`,
    kind: 'ServerAuthorization',
  },
  authorizationPolicy: {
    apiVersion: `${POLICY}/v1alpha1`,
    kind: 'AuthorizationPolicy',
    plural: 'authorizationpolicies',
  },
  httpRoute: { apiVersion: `${POLICY}/v1beta3`, kind: 'HTTPRoute' },
  meshTLSAuthentication: {
    apiVersion: `${POLICY}/v1alpha1`,
    kind: 'MeshTLSAuthentication',
  },
  networkAuthentication: {
    apiVersion: `${POLICY}/v1alpha1`,
    kind: 'NetworkAuthentication',
  },
  namespace: { apiVersion: 'v1', kind: 'Namespace' },
  service: { apiVersion: 'v1', kind: 'Service' },
  serviceAccount: { apiVersion: 'v1', kind: 'ServiceAccount' },
  pod: { apiVersion: 'v1', kind: 'Pod' },
  deployment: { apiVersion: 'apps/v1', kind: 'Deployment' },
  gatewayHttpRoute: {
    apiVersion: `${GATEWAY}/v1`,
    kind: 'HTTPRoute',
  },
  gatewayGrpcRoute: {
    apiVersion: `${GATEWAY}/v1`,
    kind: 'GRPCRoute',
  },
} satisfies Record<string, AnalyzerInput>;

/** A finding code of the Linkerd adapter. */
export type LinkerdCode = FindingCodeInfo;

export function specOf(obj: KubeObject): Record<string, any> {
  const spec = obj.spec;
  return spec && typeof spec === 'object' ? (spec as Record<string, any>) : {};
}

export function arr<T = any>(value: unknown): T[] {
  return Array.isArray(value) ? (value as T[]) : [];
}

/** The policy-group version of an object's apiVersion for `snapshot.list` (any version works). */
export const POLICY_VERSION = `${POLICY}/v1beta3`;

/**
 * The Linkerd control plane in a snapshot: the `linkerd-destination` Deployment (in a namespace
 * labelled as the control plane, or any), and the version it runs.
 */
export function controlPlane(snapshot: Snapshot): {
  deployment?: KubeObject;
  version?: string;
  found: boolean;
} {
  const cpNamespaces = snapshot
    .list('v1', 'Namespace')
    .filter(
      ns => ns.metadata.labels?.[CONTROL_PLANE_NAMESPACE_LABEL] === 'true',
    );
  const destination = snapshot
    .list('apps/v1', 'Deployment')
    .find(d => d.metadata.name === 'linkerd-destination');
  const t =
    destination &&
    podTemplates(snapshot, destination.metadata.namespace).find(
      x => x.owner === destination,
    );
  const version =
    destination?.metadata.labels?.['linkerd.io/control-plane-version'] ??
    imageTag(t?.spec.containers.find(c => c.name === 'destination')?.image);
  return {
    deployment: destination,
    version,
    found: cpNamespaces.length > 0 || Boolean(destination),
  };
}

/**
 * Whether a reference (`group`, `kind`) names `kind` of `group` as Linkerd's policy controller
 * reads references: case-insensitively, an absent or empty group meaning the core group (so
 * `{kind: Server}` without `group: policy.linkerd.io` is not a Server).
 */
export function targetsKind(
  ref: unknown,
  group: string,
  kind: string,
): boolean {
  const r = (ref ?? {}) as { group?: unknown; kind?: unknown };
  const g = typeof r.group === 'string' && r.group !== '' ? r.group : 'core';
  return (
    typeof r.kind === 'string' &&
    r.kind.toLowerCase() === kind.toLowerCase() &&
    g.toLowerCase() === (group === '' ? 'core' : group).toLowerCase()
  );
}

/** `Server.policy.linkerd.io`, `ServiceAccount`: a reference's kind as Linkerd's messages print it. */
export function canonicalKind(ref: unknown): string {
  const r = (ref ?? {}) as { group?: unknown; kind?: unknown };
  const kind = typeof r.kind === 'string' ? r.kind : '';
  const group = typeof r.group === 'string' ? r.group : '';
  return group && group.toLowerCase() !== 'core' ? `${kind}.${group}` : kind;
}
