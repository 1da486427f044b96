import type { MeshInjection } from '@meshstage/plugin-mesh-node';
import { annotationOf } from '@meshstage/plugin-mesh-node';
import { INJECT_ANNOTATION, PROXY_CONTAINER } from './constants';

// `ingress` is Linkerd's injection mode for ingress controllers: still injected.
const INJECTING_VALUES = ['enabled', 'ingress'];

/**
 * Linkerd's injection rules for a namespace: the annotation `linkerd.io/inject: enabled` (or
 * `ingress`). Linkerd has no revisions.
 */
export const linkerdInjection: MeshInjection = {
  proxyContainerNames: [PROXY_CONTAINER],
  namespaceEnabled(namespace) {
    const value = annotationOf(namespace, INJECT_ANNOTATION);
    return { enabled: value !== undefined && INJECTING_VALUES.includes(value) };
  },
};
