import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import {
  MeshExamplePermissionPolicy,
  type MeshExamplePolicyOptions,
} from './MeshExamplePermissionPolicy';

/** The platform group when `meshstage.permissionPolicy.platformGroup` is not set. */
export const DEFAULT_PLATFORM_GROUP = 'group:default/platform';

/** The policy's options from `meshstage.permissionPolicy` (see the backend's config.d.ts). */
export function readMeshExamplePolicyOptions(
  config: Config,
): MeshExamplePolicyOptions {
  return {
    platformGroup:
      config.getOptionalString('meshstage.permissionPolicy.platformGroup') ??
      DEFAULT_PLATFORM_GROUP,
  };
}

/**
 * The permission backend module that installs {@link MeshExamplePermissionPolicy}, with the
 * platform group from `meshstage.permissionPolicy.platformGroup`. Not installed by default: add
 * it in `packages/backend/src/index.ts` in place of the allow-all policy module.
 */
export const meshExamplePermissionPolicyModule = createBackendModule({
  pluginId: 'permission',
  moduleId: 'mesh-example-policy',
  register(reg) {
    reg.registerInit({
      deps: {
        policy: policyExtensionPoint,
        config: coreServices.rootConfig,
      },
      async init({ policy, config }) {
        policy.setPolicy(
          new MeshExamplePermissionPolicy(readMeshExamplePolicyOptions(config)),
        );
      },
    });
  },
});
