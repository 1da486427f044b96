import type { LoggerService } from '@backstage/backend-plugin-api';
import { ServiceUnavailableError } from '@backstage/errors';
import type {
  Finding,
  ValidationResponse,
} from '@meshstage/plugin-mesh-common';
import type { MeshAdapter } from '@meshstage/plugin-mesh-node';
import {
  type ManifestFile,
  type Suppression,
  validate,
} from '@meshstage/validation';
import type { ClusterClient } from '../cluster';
import { compareScans } from './compareScans';
import { summarizeFindings } from './summarize';
import type {
  ScanSummary,
  ScanTrigger,
  ValidationStore,
} from './ValidationStore';

export type { ValidationResponse };

/**
 * Runs `@meshstage/validation`'s engine exactly as the CLI does (`validate()`: generic analyzers
 * plus the adapters' ones, files merged over the cluster's objects), on request and as stored
 * scans of whole clusters.
 */
export class ValidationService {
  /** The scan running per cluster, so that a manual and a scheduled scan never interleave. */
  readonly #running = new Map<string, Promise<ScanSummary>>();

  constructor(
    private readonly options: {
      store: ValidationStore;
      logger: LoggerService;
      /** For tests: the scan timestamps. */
      now?: () => Date;
    },
  ) {}

  /**
   * Validates uploaded files, over a cluster's live configuration when one is given (file objects
   * replace the cluster's objects of the same identity). A cluster that cannot be read is a 503.
   */
  async validate(input: {
    files: readonly ManifestFile[];
    cluster?: ClusterClient;
    adapters: readonly MeshAdapter[];
    suppressions?: readonly Suppression[];
  }): Promise<ValidationResponse> {
    let findings: Finding[];
    try {
      ({ findings } = await validate(
        { files: input.files, cluster: input.cluster },
        { adapters: input.adapters, suppressions: input.suppressions },
      ));
    } catch (error) {
      // Analysis itself never throws (a crashing analyzer is an MS0003 finding): only the
      // cluster reads can fail.
      throw new ServiceUnavailableError(
        `Cannot read cluster '${input.cluster?.name}': ${
          (error as Error).message
        }`,
      );
    }
    return { findings, summary: summarizeFindings(findings) };
  }

  /**
   * Scans a cluster with every adapter's analyzers plus the generic ones and stores the run,
   * compared with the cluster's previous succeeded scan. A cluster that cannot be read is stored
   * as a failed scan (so the history shows it) and does not count as the next scan's baseline.
   */
  scanCluster(
    cluster: ClusterClient,
    adapters: readonly MeshAdapter[],
    trigger: ScanTrigger,
  ): Promise<ScanSummary> {
    const previous = this.#running.get(cluster.name) ?? Promise.resolve();
    const run = previous
      .catch(() => undefined)
      .then(() => this.#scan(cluster, adapters, trigger));
    this.#running.set(cluster.name, run);
    const cleanup = () => {
      if (this.#running.get(cluster.name) === run) {
        this.#running.delete(cluster.name);
      }
    };
    run.then(cleanup, cleanup);
    return run;
  }

  async #scan(
    cluster: ClusterClient,
    adapters: readonly MeshAdapter[],
    trigger: ScanTrigger,
  ): Promise<ScanSummary> {
    const { store, logger } = this.options;
    const now = this.options.now ?? (() => new Date());
    const startedAt = now().toISOString();
    const meshes = adapters.map(a => a.id);
    const base = { cluster: cluster.name, trigger, startedAt, meshes };
    let findings: Finding[];
    try {
      ({ findings } = await validate({ cluster }, { adapters }));
    } catch (error) {
      const message = (error as Error).message;
      logger.warn(
        `Validation scan of cluster '${cluster.name}' failed: ${message}`,
      );
      return store.recordScan({
        ...base,
        finishedAt: now().toISOString(),
        status: 'failed',
        error: message,
        previousScanId: null,
        summary: summarizeFindings([]),
        findings: [],
        fixed: [],
      });
    }
    const last = await store.latestScan(cluster.name, 'succeeded');
    const lastFindings = last ? await store.scanFindings(last.id) : undefined;
    const comparison = compareScans(
      findings,
      lastFindings?.map(({ fingerprint, new: _new, ...finding }) => ({
        fingerprint,
        finding,
      })),
    );
    const scan = await store.recordScan({
      ...base,
      finishedAt: now().toISOString(),
      status: 'succeeded',
      previousScanId: last?.id ?? null,
      summary: summarizeFindings(findings),
      findings: comparison.findings,
      fixed: comparison.fixed,
    });
    logger.info(
      `Validation scan ${scan.id} of cluster '${cluster.name}': ${scan.summary.error} error(s), ${scan.summary.warning} warning(s), ${scan.summary.info} info, ${scan.new} new, ${scan.fixed} fixed`,
    );
    return scan;
  }
}
