export { InMemoryClusterView } from './InMemoryClusterView';
export { HttpClusterView } from './HttpClusterView';
export { matchesLabelSelector } from './labelSelector';
export {
  createTestObjects,
  deleteTestPods,
  eventually,
  patchTestNamespace,
} from './clusterWrites';
export type { TestClusterTarget, TestManifest } from './clusterWrites';
export { applyTestObjects, runTestPlan, runTestStep } from './runPlan';
export type { RunTestPlanOptions } from './runPlan';
export { podProxyTags } from './proxyTags';
