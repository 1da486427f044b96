import type {
  MeshInjection,
  NamespaceInjection,
} from '@meshstage/plugin-mesh-node';
import { labelOf } from '@meshstage/plugin-mesh-node';
import {
  DEFAULT_REVISION,
  INJECTION_LABEL,
  PROXY_CONTAINER,
  REVISION_LABEL,
} from './constants';

/**
 * Istio's injection rules for a namespace, as its injector webhook applies them:
 * `istio-injection=disabled` turns injection off whatever else is set, `istio-injection=enabled`
 * binds to the default revision and takes precedence over `istio.io/rev=<rev>`.
 */
export const istioInjection: MeshInjection = {
  proxyContainerNames: [PROXY_CONTAINER],
  namespaceEnabled(namespace): NamespaceInjection {
    const injection = labelOf(namespace, INJECTION_LABEL);
    if (injection === 'disabled') {
      return { enabled: false };
    }
    if (injection === 'enabled') {
      return { enabled: true, revision: DEFAULT_REVISION };
    }
    const revision = labelOf(namespace, REVISION_LABEL);
    if (revision) {
      return { enabled: true, revision };
    }
    return { enabled: false };
  },
};
