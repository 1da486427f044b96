export {
  istioTopology,
  istioTopologyEdges,
  istioFqdn,
  istioMatchSummary,
  ISTIO_TOPOLOGY_RESOURCES,
} from './istioTopology';
