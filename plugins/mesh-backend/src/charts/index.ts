export { ChartsService } from './ChartsService';
export type {
  AdapterChartsInfo,
  ChartSourceInfo,
  ChartsServiceOptions,
} from './ChartsService';
export { createChartsService } from './createChartsService';
export { readChartsConfig, DEFAULT_INDEX_REFRESH } from './config';
export type { ChartsConfig } from './config';
export { HelmCli } from './helm';
export type { HelmTemplater, HelmTemplateRequest } from './helm';
export { mergeValues } from './values';
export { parseRenderedManifests } from './manifests';
export { compareMeshVersions, sortMeshVersions } from './versions';
