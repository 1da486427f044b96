import type {
  MeshComponentStatus,
  MeshNamespaceStatus,
} from '@meshstage/plugin-mesh-common';
import type {
  KubeDeployment,
  KubeNamespace,
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
} from './constants';
import { istioInjection } from './injection';

/** The objects Istio detection reads; see {@link detectIstio}. */
export interface IstioSnapshot {
  /** Deployments; those not labelled `app=istiod` are ignored. */
  deployments: KubeDeployment[];
  namespaces: KubeNamespace[];
  pods: KubePod[];
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
): MeshNamespaceStatus {
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

  const namespaces = snapshot.namespaces
    .map(ns => namespaceStatus(ns, snapshot.pods))
    .filter(ns => ns.injectionEnabled || ns.meshedPods > 0)
    .sort((a, b) => a.name.localeCompare(b.name));

  return {
    installed: components.length > 0,
    versions: sortVersions(components.map(c => c.version)),
    revisions: sortVersions(components.map(c => c.revision)),
    components,
    namespaces,
  };
}
