export {
  linkerdTopology,
  linkerdTopologyEdges,
  linkerdMatchSummary,
  LINKERD_TOPOLOGY_RESOURCES,
} from './linkerdTopology';
