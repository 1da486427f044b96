import {
  createApiFactory,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { MeshClient, meshApiRef } from './api';
import { meshEntityContentRouteRef } from './routes';

/**
 * The MeshStage frontend plugin for apps on the classic frontend system. Apps on the new
 * frontend system use the default export of `@meshstage/plugin-mesh/alpha` instead.
 * @public
 */
export const meshPlugin = createPlugin({
  id: 'mesh',
  apis: [
    createApiFactory({
      api: meshApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: deps => new MeshClient(deps),
    }),
  ],
  routes: { entityContent: meshEntityContentRouteRef },
});

/**
 * The entity Mesh tab for classic apps:
 * `<EntityLayout.Route path="/mesh" title="Mesh" if={isMeshAvailable}><EntityMeshContent /></EntityLayout.Route>`.
 * @public
 */
export const EntityMeshContent = meshPlugin.provide(
  createRoutableExtension({
    name: 'EntityMeshContent',
    component: () =>
      import('./components/EntityMeshContent').then(m => m.EntityMeshContent),
    mountPoint: meshEntityContentRouteRef,
  }),
);
