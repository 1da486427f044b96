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
