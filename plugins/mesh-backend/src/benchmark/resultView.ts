import { type LoadResult, toFortio, toSmp } from '@meshstage/loadgen/model';
import type { BenchmarkResult, BenchmarkRun } from './types';

/** A result without its histograms: what run listings and progress streams show. */
export function summarizeResult(stored: BenchmarkResult) {
  const r = stored.result;
  return {
    startTime: r.startTime,
    endTime: r.endTime,
    durationMs: r.durationMs,
    requestedRps: r.config.requestedRps,
    actualRps: r.requests.perSecond,
    requests: r.requests,
    latencyMs: r.latencyMs,
    statusCodes: r.statusCodes,
    errors: r.errors,
    bytes: r.bytes,
    ...(r.sendLagMs ? { sendLagMs: r.sendLagMs } : {}),
    ...(r.generatorBusy !== undefined
      ? { generatorBusy: r.generatorBusy }
      : {}),
    timeSeries: r.timeSeries.map(({ histogram, ...s }) => s),
    environment: stored.environment,
    ...(stored.thresholds ? { thresholds: stored.thresholds } : {}),
  };
}

/** Export formats of `GET /benchmark/results/:runId/export`. */
export const EXPORT_FORMATS = ['json', 'fortio', 'smp'] as const;

/** An export format. */
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/**
 * A stored result in one of loadgen's formats. The mesh under test travels in the labels
 * (`mesh=istio,meshVersion=1.24.2`), which fortio keeps as `Labels` and SMP as `labels`.
 */
export function exportResult(
  run: BenchmarkRun,
  stored: BenchmarkResult,
  format: ExportFormat,
): unknown {
  const r: LoadResult = stored.result;
  switch (format) {
    case 'fortio':
      return toFortio(r);
    case 'smp': {
      const smp = toSmp(r);
      return {
        ...smp,
        labels: {
          ...smp.labels,
          ...(run.mesh ? { mesh: run.mesh } : {}),
          ...(run.meshVersion ? { meshVersion: run.meshVersion } : {}),
          ...(run.cluster ? { cluster: run.cluster } : {}),
        },
      };
    }
    default:
      return {
        ...r,
        run: {
          id: run.id,
          profile: run.profile,
          mesh: run.mesh,
          meshVersion: run.meshVersion,
          cluster: run.cluster,
        },
        environment: stored.environment,
      };
  }
}
