import {
  type BasicPermission,
  createPermission,
  type ResourcePermission,
} from '@backstage/plugin-permission-common';
import type { LifecycleAction } from './lifecycle';

/** Read mesh status, adapters and clusters. @public */
export const meshStatusReadPermission = createPermission({
  name: 'mesh.status.read',
  attributes: { action: 'read' },
});

/** List lifecycle operations, read their plans, step logs and drift reports. @public */
export const meshOperationReadPermission = createPermission({
  name: 'mesh.operation.read',
  attributes: { action: 'read' },
});

/**
 * Execution of each kind of lifecycle operation is a permission of its own, so a policy can let a
 * service team onboard its namespace without letting it uninstall a control plane. Dry runs need
 * only {@link meshOperationReadPermission}.
 * @public
 */
export const meshOperationExecutePermissions: Record<
  LifecycleAction | 'revert' | 'resume',
  BasicPermission
> = {
  install: createPermission({
    name: 'mesh.operation.install',
    attributes: { action: 'create' },
  }),
  uninstall: createPermission({
    name: 'mesh.operation.uninstall',
    attributes: { action: 'delete' },
  }),
  upgrade: createPermission({
    name: 'mesh.operation.upgrade',
    attributes: { action: 'update' },
  }),
  rollback: createPermission({
    name: 'mesh.operation.rollback',
    attributes: { action: 'update' },
  }),
  onboard: createPermission({
    name: 'mesh.operation.onboard',
    attributes: { action: 'update' },
  }),
  offboard: createPermission({
    name: 'mesh.operation.offboard',
    attributes: { action: 'update' },
  }),
  'deploy-sample': createPermission({
    name: 'mesh.operation.deploy-sample',
    attributes: { action: 'create' },
  }),
  'remove-sample': createPermission({
    name: 'mesh.operation.remove-sample',
    attributes: { action: 'delete' },
  }),
  reconcile: createPermission({
    name: 'mesh.operation.reconcile',
    attributes: { action: 'update' },
  }),
  'set-tag': createPermission({
    name: 'mesh.operation.set-tag',
    attributes: { action: 'update' },
  }),
  'remove-tag': createPermission({
    name: 'mesh.operation.remove-tag',
    attributes: { action: 'delete' },
  }),
  'rotate-issuer': createPermission({
    name: 'mesh.operation.rotate-issuer',
    attributes: { action: 'update' },
  }),
  revert: createPermission({
    name: 'mesh.operation.revert',
    attributes: { action: 'update' },
  }),
  resume: createPermission({
    name: 'mesh.operation.resume',
    attributes: { action: 'update' },
  }),
};

/** Read validation findings and scan history; validate uploaded YAML. @public */
export const meshValidationReadPermission = createPermission({
  name: 'mesh.validation.read',
  attributes: { action: 'read' },
});

/** Start a validation scan of a cluster now (scheduled scans run as the plugin). @public */
export const meshValidationScanPermission = createPermission({
  name: 'mesh.validation.scan',
  attributes: { action: 'create' },
});

/** Read performance profiles, runs and results. @public */
export const meshBenchmarkReadPermission = createPermission({
  name: 'mesh.benchmark.read',
  attributes: { action: 'read' },
});

/** Create, change and delete performance profiles. @public */
export const meshBenchmarkProfileWritePermission = createPermission({
  name: 'mesh.benchmark.profile.write',
  attributes: { action: 'update' },
});

/** Start and cancel benchmark runs (they send load to a target). @public */
export const meshBenchmarkRunPermission = createPermission({
  name: 'mesh.benchmark.run',
  attributes: { action: 'create' },
});

/**
 * The catalog's resource type (`RESOURCE_TYPE_CATALOG_ENTITY` of `@backstage/plugin-catalog-common`):
 * the entity-scoped mesh permissions are permissions on a catalog entity, so a policy decides them
 * with the catalog's own conditions (`isEntityOwner`, `hasAnnotation`, ...) and the permission
 * backend resolves them through the catalog.
 * @public
 */
export const MESH_ENTITY_RESOURCE_TYPE = 'catalog-entity';

/**
 * Onboard a namespace to a mesh on behalf of the catalog entities whose workloads run in it: a
 * resource permission on each of them (see {@link meshScopedPermissions}).
 * @public
 */
export const meshEntityOnboardPermission = createPermission({
  name: 'mesh.entity.onboard',
  attributes: { action: 'update' },
  resourceType: MESH_ENTITY_RESOURCE_TYPE,
});

/** Offboard a namespace on behalf of the entities whose workloads run in it. @public */
export const meshEntityOffboardPermission = createPermission({
  name: 'mesh.entity.offboard',
  attributes: { action: 'update' },
  resourceType: MESH_ENTITY_RESOURCE_TYPE,
});

/** Start and cancel runs of an entity's benchmark profiles (or inline ones naming it). @public */
export const meshEntityBenchmarkRunPermission = createPermission({
  name: 'mesh.entity.benchmark.run',
  attributes: { action: 'create' },
  resourceType: MESH_ENTITY_RESOURCE_TYPE,
});

/** Create, change and delete the performance profiles of an entity. @public */
export const meshEntityBenchmarkProfileWritePermission = createPermission({
  name: 'mesh.entity.benchmark.profile.write',
  attributes: { action: 'update' },
  resourceType: MESH_ENTITY_RESOURCE_TYPE,
});

/**
 * An action a platform team may take anywhere and an entity's owners on their entity: the
 * platform-wide basic permission, or the entity-scoped resource permission on every entity the
 * request concerns. A request that concerns no entity needs the platform permission.
 * @public
 */
export interface MeshScopedPermission {
  /** Allowed: the action on anything. */
  platform: BasicPermission;
  /** Allowed on each entity the request concerns: the action for those entities. */
  entity: ResourcePermission<typeof MESH_ENTITY_RESOURCE_TYPE>;
}

/**
 * The actions that can be granted per catalog entity. Onboarding and offboarding concern the
 * entities whose workloads run in the namespace; benchmarks concern their profile's entity.
 * @public
 */
export const meshScopedPermissions = {
  onboard: {
    platform: meshOperationExecutePermissions.onboard,
    entity: meshEntityOnboardPermission,
  },
  offboard: {
    platform: meshOperationExecutePermissions.offboard,
    entity: meshEntityOffboardPermission,
  },
  benchmarkRun: {
    platform: meshBenchmarkRunPermission,
    entity: meshEntityBenchmarkRunPermission,
  },
  benchmarkProfileWrite: {
    platform: meshBenchmarkProfileWritePermission,
    entity: meshEntityBenchmarkProfileWritePermission,
  },
} satisfies Record<string, MeshScopedPermission>;

/** Every permission the mesh plugin defines. @public */
export const meshPermissions = [
  meshStatusReadPermission,
  meshOperationReadPermission,
  ...Object.values(meshOperationExecutePermissions),
  meshValidationReadPermission,
  meshValidationScanPermission,
  meshBenchmarkReadPermission,
  meshBenchmarkProfileWritePermission,
  meshBenchmarkRunPermission,
  ...Object.values(meshScopedPermissions).map(p => p.entity),
];
