import { createBackendModule } from '@backstage/backend-plugin-api';
import { meshAdaptersExtensionPoint } from '@meshstage/plugin-mesh-node';
import { IstioAdapter } from './IstioAdapter';

/**
 * Registers the Istio adapter with the mesh backend plugin.
 * @public
 */
export const meshModuleIstio = createBackendModule({
  pluginId: 'mesh',
  moduleId: 'istio',
  register(reg) {
    reg.registerInit({
      deps: { adapters: meshAdaptersExtensionPoint },
      async init({ adapters }) {
        adapters.addAdapter(new IstioAdapter());
      },
    });
  },
});
