import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { MeshClient, meshApiRef } from './api';
import {
  meshEntityContentRouteRef,
  meshEntityPerformanceRouteRef,
  meshEntityTopologyRouteRef,
  meshEntityValidationRouteRef,
  meshFleetRouteRef,
} from './routes';

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
  routes: {
    entityContent: meshEntityContentRouteRef,
    entityPerformance: meshEntityPerformanceRouteRef,
    entityValidation: meshEntityValidationRouteRef,
    entityTopology: meshEntityTopologyRouteRef,
    fleet: meshFleetRouteRef,
  },
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

/**
 * The entity Validation tab for classic apps:
 * `<EntityLayout.Route path="/validation" title="Validation" if={isMeshAvailable}><EntityValidationContent /></EntityLayout.Route>`.
 * @public
 */
export const EntityValidationContent = meshPlugin.provide(
  createRoutableExtension({
    name: 'EntityValidationContent',
    component: () =>
      import('./components/EntityValidationContent').then(
        m => m.EntityValidationContent,
      ),
    mountPoint: meshEntityValidationRouteRef,
  }),
);

/**
 * The mesh status card for an entity's Overview tab in classic apps:
 * `<EntitySwitch.Case if={isMeshAvailable}><Grid item md={6}><EntityMeshStatusCard /></Grid></EntitySwitch.Case>`.
 * @public
 */
export const EntityMeshStatusCard = meshPlugin.provide(
  createComponentExtension({
    name: 'EntityMeshStatusCard',
    component: {
      lazy: () =>
        import('./components/EntityMeshStatusCard').then(
          m => m.EntityMeshStatusCard,
        ),
    },
  }),
);

/**
 * The entity Performance tab for classic apps:
 * `<EntityLayout.Route path="/performance" title="Performance" if={isMeshAvailable}><EntityPerformanceContent /></EntityLayout.Route>`.
 * @public
 */
export const EntityPerformanceContent = meshPlugin.provide(
  createRoutableExtension({
    name: 'EntityPerformanceContent',
    component: () =>
      import('./components/EntityPerformanceContent').then(
        m => m.EntityPerformanceContent,
      ),
    mountPoint: meshEntityPerformanceRouteRef,
  }),
);

/**
 * The entity Topology tab for classic apps:
 * `<EntityLayout.Route path="/topology" title="Topology" if={isMeshAvailable}><EntityTopologyContent /></EntityLayout.Route>`.
 * @public
 */
export const EntityTopologyContent = meshPlugin.provide(
  createRoutableExtension({
    name: 'EntityTopologyContent',
    component: () =>
      import('./components/EntityTopologyContent').then(
        m => m.EntityTopologyContent,
      ),
    mountPoint: meshEntityTopologyRouteRef,
  }),
);

/**
 * The platform team's page for classic apps, with its header:
 * `<Route path="/mesh" element={<MeshFleetPage />} />`, and a sidebar item to `/mesh`.
 * @public
 */
export const MeshFleetPage = meshPlugin.provide(
  createRoutableExtension({
    name: 'MeshFleetPage',
    component: () => import('./components/MeshPage').then(m => m.MeshPage),
    mountPoint: meshFleetRouteRef,
  }),
);
