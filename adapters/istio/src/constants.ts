/** Label that marks istiod Deployments (and their pods). */
export const ISTIOD_APP_LABEL = 'app';
export const ISTIOD_APP_VALUE = 'istiod';
/** Label that names a control-plane revision, on istiod and on namespaces bound to it. */
export const REVISION_LABEL = 'istio.io/rev';
/** The revision of an istiod without a revision label. */
export const DEFAULT_REVISION = 'default';
/** Namespace label of the classic (revision-less) injection switch. */
export const INJECTION_LABEL = 'istio-injection';
/** Istio's sidecar container. */
export const PROXY_CONTAINER = 'istio-proxy';
/** The istiod container whose image tag is the control-plane version. */
export const DISCOVERY_CONTAINER = 'discovery';
/** Istio's root namespace (meshConfig `rootNamespace`): mesh-wide policies live here. */
export const ROOT_NAMESPACE = 'istio-system';
/** Label on a revision tag's MutatingWebhookConfiguration naming the tag (`istioctl tag set`). */
export const TAG_LABEL = 'istio.io/tag';
/** Label of the `istio-injection=enabled` / `sidecar.istio.io/inject` pod opt-in and opt-out. */
export const POD_INJECT_LABEL = 'sidecar.istio.io/inject';
/** The namespace of Istio's control plane (the charts' release namespace). */
export const ISTIO_SYSTEM = 'istio-system';
