export {
  linkerdTopology,
  linkerdTopologyEdges,
  LINKERD_TOPOLOGY_RESOURCES,
} from './linkerdTopology';
