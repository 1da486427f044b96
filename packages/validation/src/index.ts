/**
 * MeshStage's configuration analyzer engine: snapshots from files (with line and column) or a
 * cluster, generic and per-mesh analyzers, suppression, and findings as JSON, text or SARIF.
 *
 * @packageDocumentation
 */
export { ENGINE_CODES } from './codes';
export { listManifestFiles } from './manifestFiles';
export { parseManifests } from './parse';
export type { ManifestObject, ParsedManifests, ParseOptions } from './parse';
export { positionOf } from './positions';
export type { ManifestOrigin } from './positions';
export {
  analyzerInputs,
  findingCodes,
  mergeManifests,
  runAnalysis,
} from './engine';
export type { AnalysisOptions } from './engine';
export { readClusterObjects } from './cluster';
export type { ClusterObjects, UnreadableKind } from './cluster';
export { clusterSettingsInputs, readClusterSettings } from './clusterSettings';
export { validateSchema } from './schema';
export {
  applySuppressions,
  ISTIO_SUPPRESS_ANNOTATION,
  parseSuppression,
  SUPPRESS_ANNOTATION,
} from './suppression';
export type { Suppression } from './suppression';
export {
  fieldName,
  readSettingsFile,
  SettingsFileError,
} from './settingsFiles';
export type {
  LocatedSettingsProblem,
  MeshSettingsFiles,
  SettingsFileKind,
  SettingsInCluster,
  SettingsProblem,
} from './settingsFiles';
export { selectAnalyzers, validate, validateManifests } from './validate';
export type {
  ManifestFile,
  ValidateOptions,
  ValidationResult,
} from './validate';
export { formatJson, formatText } from './output/text';
export { toSarif } from './output/sarif';
export type { SarifOptions } from './output/sarif';
export * from './analyzers/generic';
