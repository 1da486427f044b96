export { createBenchmarkFeature } from './createBenchmarkFeature';
export type {
  BenchmarkFeature,
  BenchmarkFeatureOptions,
} from './createBenchmarkFeature';
export type {
  BenchmarkRunner,
  BenchmarkRun,
  BenchmarkResult,
  BenchmarkEnvironment,
  RunProgress,
  RunState,
} from './types';
