import { randomUUID } from 'node:crypto';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { type LoadResult, mergeResults } from '@meshstage/loadgen/model';
import type { KubeObject } from '@meshstage/plugin-mesh-node';
import type { ClusterWriter } from '../cluster';
import type { ProfileSpec } from './profileSchema';
import { simulatedProxiesOf } from './caveats';
import { toMeshperfArgs } from './toMeshperfArgs';
import type {
  BenchmarkEnvironment,
  BenchmarkRunner,
  RunProgress,
} from './types';

/** The load generator image of in-cluster runs. */
export const LOADGEN_IMAGE = 'meshstage/loadgen';

const POLL_MS = 500;

const JOBS = { apiVersion: 'batch/v1', kind: 'Job' };
const PODS = { group: '', version: 'v1', plural: 'pods' };

type Job = KubeObject & {
  status?: {
    succeeded?: number;
    failed?: number;
    active?: number;
    conditions?: { type: string; status: string; message?: string }[];
  };
};

/**
 * The result JSON in a pod's log. `meshperf --output json` prints exactly one document on stdout;
 * stderr (warnings) may share the log, so the document is taken from its first line that opens
 * an object to the end.
 */
export function parsePodResult(log: string): LoadResult {
  const text = log.trim();
  const start = text.startsWith('{') ? 0 : text.indexOf('\n{') + 1;
  if (start < 0 || text[start] !== '{') {
    throw new Error(`no result in the log: ${text.slice(-300)}`);
  }
  const result = JSON.parse(text.slice(start)) as LoadResult;
  if (result.kind !== 'meshperf-result') {
    throw new Error('the log does not end with a meshperf result');
  }
  return result;
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>(resolve => {
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done);
  });

/**
 * Runs a profile as a Kubernetes Job of `inCluster.pods` load-generator pods (`parallelism` =
 * `completions` = pods, `restartPolicy: Never`, `backoffLimit: 0`), each running its share of the
 * load with `meshperf ... --output json`. When the Job completes, every pod's log is read and the
 * results are merged exactly (histograms added). The Job is deleted afterwards, and at once on
 * cancel (its pods stop; an in-cluster run keeps no partial result).
 */
export class InClusterRunner implements BenchmarkRunner {
  readonly id = 'in-cluster';

  constructor(
    private readonly options: {
      writer: (cluster: string) => ClusterWriter | undefined;
      logger: LoggerService;
      image?: string;
      pollMs?: number;
    },
  ) {}

  async run(
    profile: ProfileSpec,
    signal: AbortSignal,
    _onProgress: (progress: RunProgress) => void,
    context: { labels?: string; runId?: string } = {},
  ) {
    const target = profile.inCluster;
    if (!target) throw new Error('the profile has no inCluster settings');
    const writer = this.options.writer(target.cluster);
    if (!writer) throw new Error(`unknown cluster '${target.cluster}'`);
    const image = this.options.image ?? LOADGEN_IMAGE;
    const runId = context.runId ?? randomUUID();
    const name = `meshstage-bench-${runId
      .replace(/[^a-z0-9]/g, '')
      .slice(0, 20)}`;
    const labels = {
      'app.kubernetes.io/managed-by': 'meshstage',
      'meshstage.io/benchmark-run': runId.replace(/[^A-Za-z0-9-_.]/g, ''),
    };
    const ref = { ...JOBS, name, namespace: target.namespace };
    await writer.create({
      ...JOBS,
      metadata: { name, namespace: target.namespace, labels },
      spec: {
        parallelism: target.pods,
        completions: target.pods,
        backoffLimit: 0,
        template: {
          metadata: { labels },
          spec: {
            restartPolicy: 'Never',
            containers: [
              {
                name: 'loadgen',
                image,
                args: toMeshperfArgs(profile, target.pods, context.labels),
              },
            ],
          },
        },
      },
    });
    try {
      // Pods report only when they end: no per-second progress for in-cluster runs.
      const job = await this.waitForJob(writer, ref, signal);
      if (signal.aborted) throw new Error('cancelled before the Job completed');
      const pods = await writer.list(PODS, {
        namespace: target.namespace,
        labelSelector: `batch.kubernetes.io/job-name=${name}`,
      });
      const failed = job.status?.conditions?.find(
        c => c.type === 'Failed' && c.status === 'True',
      );
      if (failed) {
        const logs = await Promise.all(
          pods.map(p =>
            writer
              .podLogs(target.namespace, p.metadata.name, { tailLines: 5 })
              .catch(() => ''),
          ),
        );
        throw new Error(
          `Job ${target.namespace}/${name} failed${
            failed.message ? `: ${failed.message}` : ''
          }; pod logs: ${logs
            .map(l => l.trim())
            .filter(Boolean)
            .join(' | ')}`,
        );
      }
      const results = await Promise.all(
        pods.map(async p => {
          const log = await writer.podLogs(target.namespace, p.metadata.name, {
            container: 'loadgen',
          });
          try {
            return parsePodResult(log);
          } catch (e) {
            throw new Error(`pod ${p.metadata.name}: ${(e as Error).message}`);
          }
        }),
      );
      if (results.length !== target.pods) {
        throw new Error(
          `expected ${target.pods} load-generator pods, found ${results.length}`,
        );
      }
      const result = mergeResults(results);
      const environment: BenchmarkEnvironment = {
        runner: this.id,
        loadgenVersion: image,
        nodeVersion: 'in-cluster',
        hostname: `${target.cluster}/${target.namespace}`,
        threads: profile.threads,
        pods: target.pods,
      };
      const simulatedProxies = await this.simulatedProxies(
        writer,
        target.cluster,
        pods,
      );
      if (simulatedProxies) environment.simulatedProxies = simulatedProxies;
      return { result, environment };
    } finally {
      // Background propagation deletes the pods (and stops their processes) too.
      await writer
        .delete(ref, { propagationPolicy: 'Background' })
        .catch(error =>
          this.options.logger.warn(
            `Could not delete benchmark Job ${target.namespace}/${name}: ${error}`,
          ),
        );
    }
  }

  /**
   * Whether the pods ran on nodes that only simulate containers (kube-sim), read from their
   * nodes' container runtime; undefined when unknown (for example, no right to read nodes).
   */
  private async simulatedProxies(
    writer: ClusterWriter,
    cluster: string,
    pods: KubeObject[],
  ): Promise<BenchmarkEnvironment['simulatedProxies']> {
    const names = [
      ...new Set(
        pods
          .map(p => (p as { spec?: { nodeName?: string } }).spec?.nodeName)
          .filter((n): n is string => !!n),
      ),
    ];
    try {
      const nodes = await Promise.all(
        names.map(name => writer.get({ apiVersion: 'v1', kind: 'Node', name })),
      );
      return simulatedProxiesOf(
        cluster,
        nodes.filter((n): n is KubeObject => !!n),
      );
    } catch (error) {
      this.options.logger.debug(
        `Could not read the nodes of cluster ${cluster}: ${error}`,
      );
      return undefined;
    }
  }

  /** Polls the Job until it completes or fails, or the run is cancelled. */
  private async waitForJob(
    writer: ClusterWriter,
    ref: { apiVersion: string; kind: string; name: string; namespace: string },
    signal: AbortSignal,
  ): Promise<Job> {
    for (;;) {
      const job = await writer.get<Job>(ref);
      if (!job) throw new Error(`Job ${ref.namespace}/${ref.name} disappeared`);
      const done = job.status?.conditions?.some(
        c =>
          (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True',
      );
      if (done || signal.aborted) return job;
      await sleep(this.options.pollMs ?? POLL_MS, signal);
    }
  }
}
