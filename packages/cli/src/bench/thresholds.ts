import {
  checkThresholds,
  type LoadResult,
  type Thresholds,
} from '@meshstage/loadgen';

/** Whether a run passes its gate, as the exit code says it. */
export interface GateVerdict {
  /** 0: every threshold held (or none was set); 1: at least one broke. */
  exitCode: 0 | 1;
  /** One line per broken threshold, naming the flag and the measured value. */
  broken: string[];
}

/**
 * The thresholds a run is held to: a profile's own, each replaced by the same threshold given as
 * a flag (a pipeline may tighten or relax one without editing the profile). Pure.
 */
export function gateThresholds(
  profile: Thresholds | undefined,
  flags: Thresholds,
): Thresholds {
  const merged: Thresholds = { ...profile };
  for (const [key, value] of Object.entries(flags) as [
    keyof Thresholds,
    number | undefined,
  ][]) {
    if (value !== undefined) merged[key] = value;
  }
  return merged;
}

/**
 * Holds a result to its thresholds with meshperf's own check, so `meshstage bench` and `meshperf`
 * pass and fail the same runs with the same words. Pure.
 */
export function evaluateGate(
  result: LoadResult,
  thresholds: Thresholds,
): GateVerdict {
  const broken = checkThresholds(result, thresholds);
  return { exitCode: broken.length > 0 ? 1 : 0, broken };
}
