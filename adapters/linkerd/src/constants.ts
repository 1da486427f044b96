/** Namespace label of Linkerd's control-plane namespace. */
export const CONTROL_PLANE_NAMESPACE_LABEL = 'linkerd.io/is-control-plane';
/** The namespace Linkerd installs into unless told otherwise. */
export const CONVENTIONAL_NAMESPACE = 'linkerd';
/** The Deployments that make up Linkerd's control plane. */
export const CONTROL_PLANE_DEPLOYMENTS: readonly string[] = [
  'linkerd-destination',
  'linkerd-identity',
  'linkerd-proxy-injector',
];
/** Label carrying the control-plane version, preferred over image tags when present. */
export const VERSION_LABEL = 'linkerd.io/control-plane-version';
/** Annotation (namespace or pod template) that switches proxy injection on. */
export const INJECT_ANNOTATION = 'linkerd.io/inject';
/** Linkerd's sidecar container. */
export const PROXY_CONTAINER = 'linkerd-proxy';
/** Namespace (or workload) annotation overriding the control plane's default inbound policy. */
export const DEFAULT_INBOUND_POLICY_ANNOTATION =
  'config.linkerd.io/default-inbound-policy';
/** The ConfigMap holding the installed control plane's values. */
export const CONFIG_MAP = 'linkerd-config';
