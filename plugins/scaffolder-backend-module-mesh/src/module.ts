import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { createMeshBenchmarkAction } from './actions/benchmark';
import { createMeshInstallAction } from './actions/install';
import { createMeshOnboardAction } from './actions/onboard';
import { createMeshValidateAction } from './actions/validate';

/**
 * The scaffolder module that adds MeshStage's actions: `mesh:onboard`, `mesh:validate`,
 * `mesh:benchmark` and `mesh:install`. They call the mesh backend (`@meshstage/plugin-mesh-backend`)
 * over HTTP on behalf of the user who runs the template.
 * @public
 */
export const scaffolderModuleMesh = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'mesh',
  register(reg) {
    reg.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
      },
      async init({ scaffolder, discovery, auth }) {
        const options = { discovery, auth };
        scaffolder.addActions(
          createMeshOnboardAction(options),
          createMeshValidateAction(options),
          createMeshBenchmarkAction(options),
          createMeshInstallAction(options),
        );
      },
    });
  },
});
