export {
  TopologyGraphView,
  DEFAULT_COLLAPSE_THRESHOLD,
  useTopologyLayoutWarmUp,
} from './TopologyGraph';
export type { TopologyGraphViewProps } from './TopologyGraph';
export { NodeDetailsPanel } from './NodeDetailsPanel';
export type { NodeDetailsPanelProps } from './NodeDetailsPanel';
export type { LayoutEngine } from './layout/engine';
export {
  inThreadEngine,
  workerEngine,
  defaultLayoutEngine,
} from './layout/engine';
