import {
  isPermission,
  isResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  meshBenchmarkRunPermission,
  meshOperationExecutePermissions,
  meshPermissions,
  meshScopedPermissions,
  meshStatusReadPermission,
} from './permissions';

describe('mesh permissions', () => {
  it('defines a basic read permission for mesh status', () => {
    expect(meshStatusReadPermission).toEqual({
      type: 'basic',
      name: 'mesh.status.read',
      attributes: { action: 'read' },
    });
    expect(isResourcePermission(meshStatusReadPermission)).toBe(false);
  });

  it('lists every permission once, with unique names', () => {
    const names = meshPermissions.map(p => p.name);
    expect(names).toContain('mesh.status.read');
    expect(names).toContain('mesh.entity.onboard');
    expect(new Set(names).size).toBe(names.length);
  });

  it('pairs each entity-scoped action with the platform permission of the same action', () => {
    expect(
      Object.entries(meshScopedPermissions).map(([key, p]) => [
        key,
        p.platform.name,
        p.entity.name,
        p.entity.resourceType,
        p.entity.attributes.action === p.platform.attributes.action,
      ]),
    ).toEqual([
      [
        'onboard',
        'mesh.operation.onboard',
        'mesh.entity.onboard',
        'catalog-entity',
        true,
      ],
      [
        'offboard',
        'mesh.operation.offboard',
        'mesh.entity.offboard',
        'catalog-entity',
        true,
      ],
      [
        'benchmarkRun',
        'mesh.benchmark.run',
        'mesh.entity.benchmark.run',
        'catalog-entity',
        true,
      ],
      [
        'benchmarkProfileWrite',
        'mesh.benchmark.profile.write',
        'mesh.entity.benchmark.profile.write',
        'catalog-entity',
        true,
      ],
    ]);
  });

  it('keeps the platform permissions basic, so the fleet page and requests naming no entity can check them', () => {
    expect(isResourcePermission(meshOperationExecutePermissions.onboard)).toBe(
      false,
    );
    expect(isResourcePermission(meshBenchmarkRunPermission)).toBe(false);
    expect(
      isResourcePermission(
        meshScopedPermissions.onboard.entity,
        'catalog-entity',
      ),
    ).toBe(true);
    expect(
      isPermission(
        meshScopedPermissions.benchmarkRun.platform,
        meshBenchmarkRunPermission,
      ),
    ).toBe(true);
  });
});
