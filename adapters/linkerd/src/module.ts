import { createBackendModule } from '@backstage/backend-plugin-api';
import { meshAdaptersExtensionPoint } from '@meshstage/plugin-mesh-node';
import { LinkerdAdapter } from './LinkerdAdapter';

/**
 * Registers the Linkerd adapter with the mesh backend plugin.
 * @public
 */
export const meshModuleLinkerd = createBackendModule({
  pluginId: 'mesh',
  moduleId: 'linkerd',
  register(reg) {
    reg.registerInit({
      deps: { adapters: meshAdaptersExtensionPoint },
      async init({ adapters }) {
        adapters.addAdapter(new LinkerdAdapter());
      },
    });
  },
});
