import { createRouteRef } from '@backstage/core-plugin-api';

/** The entity Mesh tab's route. @public */
export const meshEntityContentRouteRef = createRouteRef({
  id: 'mesh:entity-content',
});

/** The entity Validation tab's route. @public */
export const meshEntityValidationRouteRef = createRouteRef({
  id: 'mesh:entity-validation',
});

/** The entity Performance tab's route. @public */
export const meshEntityPerformanceRouteRef = createRouteRef({
  id: 'mesh:entity-performance',
});

/** The entity Topology tab's route. @public */
export const meshEntityTopologyRouteRef = createRouteRef({
  id: 'mesh:entity-topology',
});

/** The platform team's fleet page (`/mesh`). @public */
export const meshFleetRouteRef = createRouteRef({
  id: 'mesh:fleet',
});
