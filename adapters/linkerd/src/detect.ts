import type {
  MeshComponentStatus,
  MeshMtlsMode,
  MeshNamespaceStatus,
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
  CONTROL_PLANE_DEPLOYMENTS,
  CONTROL_PLANE_NAMESPACE_LABEL,
  CONVENTIONAL_NAMESPACE,
  PROXY_CONTAINER,
  VERSION_LABEL,
} from './constants';
import { linkerdInjection } from './injection';
import { linkerdMtls } from './mtls';

/** The objects Linkerd detection reads; see {@link detectLinkerd}. */
export interface LinkerdSnapshot {
  namespaces: KubeNamespace[];
  /** Deployments of the control-plane namespaces (others are ignored). */
  deployments: KubeDeployment[];
  pods: KubePod[];
  /** ConfigMaps of the control-plane namespaces (`linkerd-config` holds the default policy). */
  configMaps?: KubeObject[];
}

/**
 * The namespaces that may hold Linkerd's control plane: those labelled
 * `linkerd.io/is-control-plane=true`, or, when none is, the conventional `linkerd` namespace
 * (manifests applied by hand may lack the label).
 */
export function controlPlaneNamespaces(namespaces: KubeNamespace[]): string[] {
  const labelled = namespaces
    .filter(ns => labelOf(ns, CONTROL_PLANE_NAMESPACE_LABEL) === 'true')
    .map(ns => ns.metadata.name);
  if (labelled.length > 0) {
    return labelled.sort();
  }
  return namespaces.some(ns => ns.metadata.name === CONVENTIONAL_NAMESPACE)
    ? [CONVENTIONAL_NAMESPACE]
    : [];
}

function deploymentVersion(deployment: KubeDeployment): string | undefined {
  const labelled =
    labelOf(deployment, VERSION_LABEL) ??
    deployment.spec?.template?.metadata?.labels?.[VERSION_LABEL];
  if (labelled) {
    return labelled;
  }
  // The control plane's own containers carry the version; its injected proxy may lag behind.
  const main = (deployment.spec?.template?.spec?.containers ?? []).find(
    c => c.name !== PROXY_CONTAINER,
  );
  return imageTag(main?.image);
}

function component(
  name: string,
  namespace: string,
  deployment: KubeDeployment | undefined,
): MeshComponentStatus {
  if (!deployment) {
    // Part of the control plane exists but this piece is missing: show it as down rather than
    // hide it, since Linkerd does not work without all three.
    return { name, namespace, replicas: 0, readyReplicas: 0, healthy: false };
  }
  const replicas = deployment.spec?.replicas ?? 1;
  const readyReplicas = deployment.status?.readyReplicas ?? 0;
  return {
    name,
    namespace,
    version: deploymentVersion(deployment),
    replicas,
    readyReplicas,
    healthy: replicas > 0 && readyReplicas >= replicas,
  };
}

function namespaceStatus(
  namespace: KubeNamespace,
  pods: KubePod[],
  mtlsModes: Map<string, MeshMtlsMode>,
): MeshNamespaceStatus {
  const mtlsMode = mtlsModes.get(namespace.metadata.name);
  const inNamespace = pods.filter(
    p => p.metadata.namespace === namespace.metadata.name,
  );
  return {
    name: namespace.metadata.name,
    injectionEnabled: linkerdInjection.namespaceEnabled(namespace).enabled,
    pods: inNamespace.length,
    meshedPods: inNamespace.filter(p =>
      findProxyContainer(p, [PROXY_CONTAINER]),
    ).length,
    ...(mtlsMode ? { mtlsMode } : {}),
  };
}

/**
 * Linkerd's state on a cluster, from its objects alone (no I/O): the control plane is the
 * `linkerd-destination`, `linkerd-identity` and `linkerd-proxy-injector` Deployments in the
 * control-plane namespace; the version comes from the `linkerd.io/control-plane-version` label or
 * else the image tag. Namespaces are reported when annotated for injection or holding pods with a
 * `linkerd-proxy` container.
 */
export function detectLinkerd(snapshot: LinkerdSnapshot): MeshDetection {
  const components: MeshComponentStatus[] = [];
  for (const ns of controlPlaneNamespaces(snapshot.namespaces)) {
    const found = snapshot.deployments.filter(
      d =>
        d.metadata.namespace === ns &&
        CONTROL_PLANE_DEPLOYMENTS.includes(d.metadata.name),
    );
    if (found.length === 0) {
      continue;
    }
    for (const name of CONTROL_PLANE_DEPLOYMENTS) {
      components.push(
        component(
          name,
          ns,
          found.find(d => d.metadata.name === name),
        ),
      );
    }
  }

  const mtls = linkerdMtls(snapshot.configMaps ?? [], snapshot.namespaces);
  const namespaces = snapshot.namespaces
    .map(ns => namespaceStatus(ns, snapshot.pods, mtls.namespaces))
    .filter(ns => ns.injectionEnabled || ns.meshedPods > 0)
    .sort((a, b) => a.name.localeCompare(b.name));

  return {
    installed: components.length > 0,
    versions: sortVersions(components.map(c => c.version)),
    revisions: [],
    components,
    namespaces,
    ...(components.length > 0 ? { mtls: mtls.mesh } : {}),
  };
}
