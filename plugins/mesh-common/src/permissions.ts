import { createPermission } from '@backstage/plugin-permission-common';

/** Read mesh status, adapters and clusters. @public */
export const meshStatusReadPermission = createPermission({
  name: 'mesh.status.read',
  attributes: { action: 'read' },
});

/** Every permission the mesh plugin defines. @public */
export const meshPermissions = [meshStatusReadPermission];
