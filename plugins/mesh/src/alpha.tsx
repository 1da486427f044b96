import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import {
  KUBERNETES_ID_ANNOTATION,
  KUBERNETES_LABEL_SELECTOR_ANNOTATION,
} from '@meshstage/plugin-mesh-common';
import { MeshClient, meshApiRef } from './api';

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
    filter: {
      $any: [
        {
          [`metadata.annotations.${KUBERNETES_ID_ANNOTATION}`]: {
            $exists: true,
          },
        },
        {
          [`metadata.annotations.${KUBERNETES_LABEL_SELECTOR_ANNOTATION}`]: {
            $exists: true,
          },
        },
      ],
    },
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
    // The Mesh tab's filter: entities tied to workloads by the Kubernetes plugin's annotations.
    filter: {
      $any: [
        {
          [`metadata.annotations.${KUBERNETES_ID_ANNOTATION}`]: {
            $exists: true,
          },
        },
        {
          [`metadata.annotations.${KUBERNETES_LABEL_SELECTOR_ANNOTATION}`]: {
            $exists: true,
          },
        },
      ],
    },
    loader: () =>
      import('./components/EntityValidationContent').then(m => (
        <m.EntityValidationContent />
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
    // The Mesh tab's filter: entities tied to workloads by the Kubernetes plugin's annotations.
    filter: {
      $any: [
        {
          [`metadata.annotations.${KUBERNETES_ID_ANNOTATION}`]: {
            $exists: true,
          },
        },
        {
          [`metadata.annotations.${KUBERNETES_LABEL_SELECTOR_ANNOTATION}`]: {
            $exists: true,
          },
        },
      ],
    },
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
    // The Mesh tab's filter: entities tied to workloads by the Kubernetes plugin's annotations.
    filter: {
      $any: [
        {
          [`metadata.annotations.${KUBERNETES_ID_ANNOTATION}`]: {
            $exists: true,
          },
        },
        {
          [`metadata.annotations.${KUBERNETES_LABEL_SELECTOR_ANNOTATION}`]: {
            $exists: true,
          },
        },
      ],
    },
    loader: () =>
      import('./components/EntityPerformanceContent').then(m => (
        <m.EntityPerformanceContent />
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
  extensions: [
    meshApi,
    entityMeshContent,
    entityPerformanceContent,
    entityValidationContent,
    entityMeshStatusCard,
  ],
});
