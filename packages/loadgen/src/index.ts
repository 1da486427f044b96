/**
 * A fortio/wrk2-class load generator on undici: HTTP/1.1 (optionally
 * pipelined), HTTP/2 and gRPC unary calls; closed-loop max throughput or
 * open-loop constant rate with coordinated omission corrected; HDR
 * histograms that merge exactly across threads and pods; text, JSON,
 * fortio and SMP output.
 *
 * @packageDocumentation
 */
export * from './types';
export { runLoad } from './run';
export {
  normalizeOptions,
  OptionsError,
  headerProblem,
  DEFAULT_DURATION_MS,
  DEFAULT_TIMEOUT_MS,
} from './options';
export type { NormalizedOptions } from './options';
export { mergeResults } from './stats/result';
export { decodeHistogram, encodeHistogram } from './stats/histogram';
export { runLoadWorker } from './threads/worker';
export { main as runMeshperfCli, runCli } from './cli';
export type { CliIo } from './cli';
// meshperf's command line, for tools that take the same flags (meshstage bench).
export {
  parseCliArgs as parseMeshperfArgs,
  UsageError as MeshperfUsageError,
  USAGE as MESHPERF_USAGE,
  MAX_INPUT_FILE_BYTES as MESHPERF_MAX_INPUT_FILE_BYTES,
} from './cli/args';
export type { CliArgs as MeshperfArgs, OutputFormat } from './cli/args';
export { toFortio, fromFortio, FortioImportError } from './output/fortio';
export type {
  FortioResult,
  FortioHistogram,
  FortioBucket,
} from './output/fortio';
export { toSmp } from './output/smp';
export type { SmpResult, SmpLatencies } from './output/smp';
export { formatText } from './output/text';
export { renderResult } from './output/render';
export { checkThresholds } from './cli/thresholds';
export type { Thresholds } from './cli/thresholds';
export { formatBytes, parseDuration, parseRatio, UnitError } from './units';
export { startEchoServer } from './server/echo';
export type { EchoServer, EchoServerOptions } from './server/echo';
export { parseResolve, ResolveError } from './transport/resolve';
export { forbiddenAddressReason } from './transport/addressPolicy';
export { ForbiddenTargetError, guardTargets } from './transport/guardTargets';
export type { LookupAll } from './transport/guardTargets';
export type { ResolveMap } from './transport/resolve';
