/*
 * The MeshStage portal's backend: a standard Backstage backend (catalog, kubernetes, scaffolder,
 * permissions, search, auth) plus the mesh backend plugin and one module per mesh adapter.
 */
import { createBackend } from '@backstage/backend-defaults';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));
backend.add(import('@backstage/plugin-proxy-backend'));

// auth: guest sign-in for development (auth.providers.guest in app-config.yaml)
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));

// catalog
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));

// scaffolder
backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(import('@meshstage/plugin-scaffolder-backend-module-mesh'));

// permissions: the allow-all policy is for development only; production apps install their own
// policy module (see README, "Permissions"). The example policy of docs/security.md (platform
// group, entity owners, readers) replaces it with one line:
//   backend.add(import('./permissionPolicy'));
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(
  import('@backstage/plugin-permission-backend-module-allow-all-policy'),
);

// search (in-memory Lunr engine) over the catalog
backend.add(import('@backstage/plugin-search-backend'));
backend.add(import('@backstage/plugin-search-backend-module-catalog'));

// kubernetes: clusters from kubernetes.clusterLocatorMethods, which MeshStage reuses
backend.add(import('@backstage/plugin-kubernetes-backend'));

backend.add(import('@backstage/plugin-user-settings-backend'));
backend.add(import('@backstage/plugin-notifications-backend'));
backend.add(import('@backstage/plugin-signals-backend'));

// MeshStage: the mesh backend and one module per mesh adapter
backend.add(import('@meshstage/plugin-mesh-backend'));
backend.add(import('@meshstage/plugin-mesh-backend-module-istio'));
backend.add(import('@meshstage/plugin-mesh-backend-module-linkerd'));

backend.start();
