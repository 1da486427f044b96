import type {
  MeshComponentStatus,
  MeshMtlsMode,
  MeshNamespaceStatus,
  MeshRevisionTag,
} from '@meshstage/plugin-mesh-common';
import type {
  KubeDeployment,
  KubeNamespace,
  KubeObject,
  KubePod,
  MeshDetection,
} from '@meshstage/plugin-mesh-node';
import {
  findProxyContainer,
  imageTag,
  labelOf,
  sortVersions,
} from '@meshstage/plugin-mesh-node';
import {
  DEFAULT_REVISION,
  DISCOVERY_CONTAINER,
  ISTIOD_APP_LABEL,
  ISTIOD_APP_VALUE,
  PROXY_CONTAINER,
  REVISION_LABEL,
  TAG_LABEL,
} from './constants';
import { istioInjection } from './injection';
import { istioMtls } from './mtls';

/** The objects Istio detection reads; see {@link detectIstio}. */
export interface IstioSnapshot {
  /** Deployments; those not labelled `app=istiod` are ignored. */
  deployments: KubeDeployment[];
  namespaces: KubeNamespace[];
  pods: KubePod[];
  /** PeerAuthentications of every namespace (absent: none, Istio's PERMISSIVE default). */
  peerAuthentications?: KubeObject[];
  /** MutatingWebhookConfigurations labelled `istio.io/tag` (revision tags). */
  tagWebhooks?: KubeObject[];
}

function istiodComponent(deployment: KubeDeployment): MeshComponentStatus {
  const containers = deployment.spec?.template?.spec?.containers ?? [];
  const discovery =
    containers.find(c => c.name === DISCOVERY_CONTAINER) ?? containers[0];
  const replicas = deployment.spec?.replicas ?? 1;
  const readyReplicas = deployment.status?.readyReplicas ?? 0;
  return {
    name: deployment.metadata.name,
    namespace: deployment.metadata.namespace ?? '',
    version: imageTag(discovery?.image),
    revision: labelOf(deployment, REVISION_LABEL) ?? DEFAULT_REVISION,
    replicas,
    readyReplicas,
    // A control plane scaled to zero serves nothing, so it is not healthy.
    healthy: replicas > 0 && readyReplicas >= replicas,
  };
}

function namespaceStatus(
  namespace: KubeNamespace,
  pods: KubePod[],
  mtlsModes: Map<string, MeshMtlsMode>,
): MeshNamespaceStatus {
  const mtlsMode = mtlsModes.get(namespace.metadata.name);
  const injection = istioInjection.namespaceEnabled(namespace);
  const inNamespace = pods.filter(
    p => p.metadata.namespace === namespace.metadata.name,
  );
  return {
    name: namespace.metadata.name,
    injectionEnabled: injection.enabled,
    ...(injection.revision ? { revision: injection.revision } : {}),
    pods: inNamespace.length,
    meshedPods: inNamespace.filter(p =>
      findProxyContainer(p, [PROXY_CONTAINER]),
    ).length,
    ...(mtlsMode ? { mtlsMode } : {}),
  };
}

const byNamespaceAndName = (
  a: { namespace: string; name: string },
  b: { namespace: string; name: string },
) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name);

/**
 * Istio's state on a cluster, from its objects alone (no I/O): the control plane is every
 * Deployment labelled `app=istiod` (in any namespace, conventionally `istio-system`), its version
 * the image tag of the `discovery` container, its revision the `istio.io/rev` label (`default`
 * when absent). Namespaces are reported when they are labelled for injection or hold pods with an
 * `istio-proxy` container.
 */
export function detectIstio(snapshot: IstioSnapshot): MeshDetection {
  const components = snapshot.deployments
    .filter(d => labelOf(d, ISTIOD_APP_LABEL) === ISTIOD_APP_VALUE)
    .map(istiodComponent)
    .sort(byNamespaceAndName);

  const mtls = istioMtls(snapshot.peerAuthentications ?? []);
  const namespaces = snapshot.namespaces
    .map(ns => namespaceStatus(ns, snapshot.pods, mtls.namespaces))
    .filter(ns => ns.injectionEnabled || ns.meshedPods > 0)
    .sort((a, b) => a.name.localeCompare(b.name));

  return {
    installed: components.length > 0,
    versions: sortVersions(components.map(c => c.version)),
    revisions: sortVersions(components.map(c => c.revision)),
    components,
    namespaces,
    ...(components.length > 0
      ? {
          mtls: mtls.mesh,
          revisionTags: revisionTags(snapshot.tagWebhooks ?? []),
        }
      : {}),
  };
}

/** `istioctl tag set` webhooks: the tag label names the tag, the revision label its target. */
function revisionTags(webhooks: KubeObject[]): MeshRevisionTag[] {
  return webhooks
    .map(w => ({
      tag: labelOf(w, TAG_LABEL) ?? '',
      revision: labelOf(w, REVISION_LABEL) ?? DEFAULT_REVISION,
    }))
    .filter(t => t.tag)
    .sort((a, b) => a.tag.localeCompare(b.tag));
}
