import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { Content } from '@backstage/core-components';
import { isMeshAvailable } from '@meshstage/plugin-mesh-common';
import { MeshClient, meshApiRef } from './api';
import { MeshIcon } from './components/MeshPage/MeshIcon';
import { meshFleetRouteRef } from './routes';

/** @alpha */
export const meshApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: meshApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: deps => new MeshClient(deps),
    }),
});

/**
 * The entity Mesh tab, shown on entities tied to workloads by the Kubernetes plugin's
 * annotations.
 * @alpha
 */
export const entityMeshContent = EntityContentBlueprint.make({
  name: 'status',
  params: {
    path: '/mesh',
    title: 'Mesh',
    // Entities tied to workloads by the Kubernetes plugin's annotations.
    filter: isMeshAvailable,
    loader: () =>
      import('./components/EntityMeshContent').then(m => (
        <m.EntityMeshContent />
      )),
  },
});

/**
 * The entity Validation tab: the findings of the latest scans about the entity's resources.
 * App id `entity-content:mesh/validation`.
 * @alpha
 */
export const entityValidationContent = EntityContentBlueprint.make({
  name: 'validation',
  params: {
    path: '/validation',
    title: 'Validation',
    // Entities tied to workloads by the Kubernetes plugin's annotations.
    filter: isMeshAvailable,
    loader: () =>
      import('./components/EntityValidationContent').then(m => (
        <m.EntityValidationContent />
      )),
  },
});

/**
 * The entity Topology tab: the entity's workloads and services with their neighbours, from
 * routing configuration and observed traffic. App id `entity-content:mesh/topology`.
 * @alpha
 */
export const entityTopologyContent = EntityContentBlueprint.make({
  name: 'topology',
  params: {
    path: '/topology',
    title: 'Topology',
    // Entities tied to workloads by the Kubernetes plugin's annotations.
    filter: isMeshAvailable,
    loader: () =>
      import('./components/EntityTopologyContent').then(m => (
        <m.EntityTopologyContent />
      )),
  },
});

/**
 * The mesh status card on the entity's Overview tab (the blueprint's default attachment).
 * App id `entity-card:mesh/status`.
 * @alpha
 */
export const entityMeshStatusCard = EntityCardBlueprint.make({
  name: 'status',
  params: {
    // Entities tied to workloads by the Kubernetes plugin's annotations.
    filter: isMeshAvailable,
    loader: () =>
      import('./components/EntityMeshStatusCard').then(m => (
        <m.EntityMeshStatusCard />
      )),
  },
});

/**
 * The entity Performance tab: performance profiles, runs with live progress, results,
 * comparisons and trends. App id `entity-content:mesh/performance`.
 * @alpha
 */
export const entityPerformanceContent = EntityContentBlueprint.make({
  name: 'performance',
  params: {
    path: '/performance',
    title: 'Performance',
    // Entities tied to workloads by the Kubernetes plugin's annotations.
    filter: isMeshAvailable,
    loader: () =>
      import('./components/EntityPerformanceContent').then(m => (
        <m.EntityPerformanceContent />
      )),
  },
});

/**
 * The platform team's page at `/mesh` ("Service mesh" in the sidebar: it has a route ref, a
 * title and an icon): the fleet grid with lifecycle actions, operations, drift and the mesh
 * comparison as tabs inside the page. App id `page:mesh`.
 * @alpha
 */
export const meshFleetPage = PageBlueprint.make({
  params: {
    path: '/mesh',
    title: 'Service mesh',
    icon: <MeshIcon />,
    routeRef: meshFleetRouteRef,
    // The page layout gives the header; Content gives the body its usual padding.
    loader: () =>
      import('./components/MeshPage').then(m => (
        <Content>
          <m.MeshPageContent />
        </Content>
      )),
  },
});

/**
 * The MeshStage frontend plugin for the new frontend system.
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'mesh',
  title: 'Mesh',
  info: { packageJson: () => import('../package.json') },
  routes: { fleet: meshFleetRouteRef },
  extensions: [
    meshApi,
    meshFleetPage,
    entityMeshContent,
    entityTopologyContent,
    entityPerformanceContent,
    entityValidationContent,
    entityMeshStatusCard,
  ],
});
