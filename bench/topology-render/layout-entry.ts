// What bench/topology-render.mjs runs in Node: the graph component's own view model and ELK graph.
export {
  buildView,
  defaultCollapsed,
  groupNodes,
} from '../../plugins/mesh/src/components/TopologyGraph/model';
export {
  toElkGraph,
  fromElkGraph,
} from '../../plugins/mesh/src/components/TopologyGraph/layout/elkGraph';
export { packOverview } from '../../plugins/mesh/src/components/TopologyGraph/layout/packOverview';
