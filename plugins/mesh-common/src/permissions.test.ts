import { isResourcePermission } from '@backstage/plugin-permission-common';
import { meshPermissions, meshStatusReadPermission } from './permissions';

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
    expect(new Set(names).size).toBe(names.length);
  });
});
