/**
 * `@meshstage/loadgen/model`: what a service that stores, checks and shows load results needs,
 * without the engines that generate load (undici, @grpc/grpc-js, worker threads): the types, option
 * and header checks, units, thresholds, the target address policy, histograms and result merging,
 * and the fortio and SMP formats. A backend imports this at start-up and the engines
 * (`@meshstage/loadgen`'s `runLoad`) only when it runs a benchmark.
 *
 * @packageDocumentation
 */
export * from './types';
export { headerProblem, OptionsError } from './options';
export { formatBytes, parseDuration, parseRatio, UnitError } from './units';
export { checkThresholds } from './cli/thresholds';
export type { Thresholds } from './cli/thresholds';
export { forbiddenAddressReason } from './transport/addressPolicy';
export {
  createHistogram,
  decodeHistogram,
  encodeHistogram,
  summarize,
  toEncoded,
} from './stats/histogram';
export { mergeResults } from './stats/result';
export { toFortio, fromFortio, FortioImportError } from './output/fortio';
export { toSmp } from './output/smp';
