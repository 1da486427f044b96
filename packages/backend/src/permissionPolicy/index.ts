/**
 * An example permission policy for the mesh plugin (platform group, entity owners, readers), as
 * a permission backend module. See docs/security.md, "Permission policy".
 */
export {
  MeshExamplePermissionPolicy,
  type MeshExamplePolicyOptions,
} from './MeshExamplePermissionPolicy';
export {
  DEFAULT_PLATFORM_GROUP,
  meshExamplePermissionPolicyModule,
  meshExamplePermissionPolicyModule as default,
  readMeshExamplePolicyOptions,
} from './module';
