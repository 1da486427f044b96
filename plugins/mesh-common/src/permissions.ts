import {
  type BasicPermission,
  createPermission,
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
];
