export {
  EntityTopologyContent,
  TopologyNotices,
} from './EntityTopologyContent';
