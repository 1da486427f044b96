import type express from 'express';
import type { MeshFeatureDeps } from '../service/featureDeps';
import { createTopologyRouter } from './topologyRouter';
import { createTrafficSource } from './traffic';

export { buildTopology } from './buildTopology';
export type { BuildTopologyInput, TopologyScopeInput } from './buildTopology';
export { createTopologyRouter, topologyQuerySchema } from './topologyRouter';
export { TopologyService } from './TopologyService';

/**
 * The topology feature: `GET /topology`, with traffic from `mesh.metrics.prometheus` when it is
 * configured (a configuration error stops the plugin at start, naming the key).
 */
export function createTopologyFeature(deps: MeshFeatureDeps): express.Router {
  const trafficSource = createTrafficSource({
    config: deps.config,
    logger: deps.logger,
    adapters: deps.adapters.list(),
  });
  return createTopologyRouter({ ...deps, trafficSource });
}
