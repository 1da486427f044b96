import { EventEmitter } from 'node:events';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { checkThresholds } from '@meshstage/loadgen/model';
import type { BenchmarkStore, NewRun } from './BenchmarkStore';
import type { BenchmarkConfig } from './limits';
import { dueSlot } from './schedule';
import { toThresholds, wallClockBoundMs } from './toLoadOptions';
import {
  type BenchmarkRun,
  type BenchmarkRunner,
  type RunProgress,
  type ThresholdOutcome,
} from './types';
import { PLUGIN_PRINCIPAL } from '../service/principalRef';
import { storedProfileSpec } from './profileSchema';
import type { SecretBox } from './SecretBox';
import { openSecretHeaders, redactSecrets } from './secretHeaders';

/** The error a run left running by a stopped backend ends with. */
export const INTERRUPTED_ERROR = 'interrupted by backend restart';

/** What subscribers of a run hear. */
export type RunEvent =
  | { type: 'progress'; progress: RunProgress }
  | { type: 'state'; run: BenchmarkRun };

/** Looks up what a catalog entity says is under test (its `meshstage.io/*` annotations). */
export type EntityTargetLookup = (
  entityRef: string,
) => Promise<{ mesh?: string; cluster?: string } | undefined>;

interface ActiveRun {
  controller: AbortController;
  reason?: 'cancel' | 'limit';
}

/** How often the executing instance beats and looks for cancel requests from other instances. */
const HEARTBEAT_MS = 1000;
/** A running run without a heartbeat for this long belongs to a backend that is gone. */
export const STALE_AFTER_MS = 10_000;

/** Characters that would break loadgen's `k=v,k2=v2` labels. */
const label = (v: string) => v.replace(/[,=\s]+/g, '_');

/**
 * Queues and executes benchmark runs: at most `concurrency` at a time in this backend instance,
 * taking queued runs from the database (so runs queued by another instance or by the schedule
 * are picked up too), streaming progress to subscribers and storing results.
 */
export class BenchmarkService {
  private readonly active = new Map<string, ActiveRun>();
  private readonly running = new Set<Promise<void>>();
  private readonly events = new EventEmitter();
  private pumping: Promise<void> = Promise.resolve();
  private stopped = false;
  private startupSweep?: NodeJS.Timeout;

  constructor(
    private readonly options: {
      store: BenchmarkStore;
      /** Runs profiles without `inCluster`. */
      runner: BenchmarkRunner;
      /** Runs profiles with `inCluster`, when the feature has cluster access. */
      clusterRunner?: BenchmarkRunner;
      config: BenchmarkConfig;
      logger: LoggerService;
      entityTarget?: EntityTargetLookup;
      /** Opens the sealed values of secret headers just before a run sends them. */
      secrets?: SecretBox;
      /** The clock heartbeat age and due schedule slots are measured with (tests set it). */
      now?: () => Date;
    },
  ) {
    this.events.setMaxListeners(0);
  }

  /**
   * At startup: runs still marked running whose heartbeat stopped belong to a process that is
   * gone (this one, before it restarted), so they end failed; queued runs start. Runs another
   * live instance executes keep beating and are left alone; a run whose heartbeat stopped less
   * than {@link STALE_AFTER_MS} ago is failed by a second sweep just after that, and by every
   * schedule tick.
   */
  async start(): Promise<void> {
    await this.failInterrupted();
    this.startupSweep = setTimeout(
      () => void this.failInterrupted(),
      STALE_AFTER_MS + HEARTBEAT_MS,
    );
    this.startupSweep.unref?.();
    this.pump();
  }

  private now(): Date {
    return this.options.now ? this.options.now() : new Date();
  }

  /** Fails running runs whose executing instance stopped beating. */
  async failInterrupted(now = this.now().getTime()): Promise<number> {
    try {
      const n = await this.options.store.failRunning(
        INTERRUPTED_ERROR,
        new Date(now - STALE_AFTER_MS).toISOString(),
      );
      if (n > 0) {
        this.options.logger.warn(
          `Marked ${n} benchmark run(s) failed: ${INTERRUPTED_ERROR}`,
        );
      }
      return n;
    } catch (error) {
      this.options.logger.error(
        `Could not check for interrupted runs: ${error}`,
      );
      return 0;
    }
  }

  /** Aborts local runs and waits for them to be stored (backend shutdown). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.startupSweep);
    for (const a of this.active.values()) {
      a.reason = 'cancel';
      a.controller.abort();
    }
    await Promise.allSettled([...this.running]);
  }

  /** Queues a run and starts it when a slot is free. */
  async enqueue(run: NewRun): Promise<BenchmarkRun> {
    const created = await this.options.store.createRun(
      await this.withEntityTarget(run),
    );
    this.pump();
    return created;
  }

  /** Fills in the mesh and cluster from the profile's entity when the request did not say. */
  async withEntityTarget(run: NewRun): Promise<NewRun> {
    if (!run.entityRef || !this.options.entityTarget) return run;
    if (run.mesh && run.cluster) return run;
    const target = await this.options.entityTarget(run.entityRef);
    return {
      ...run,
      ...(run.mesh || !target?.mesh ? {} : { mesh: target.mesh }),
      ...(run.cluster || !target?.cluster ? {} : { cluster: target.cluster }),
    };
  }

  /**
   * Queues the due slot of every scheduled profile, each exactly once across instances (see
   * {@link BenchmarkStore.claimScheduleSlot}). Returns the runs this call queued.
   */
  async queueScheduled(now = this.now()): Promise<BenchmarkRun[]> {
    await this.failInterrupted();
    const queued: BenchmarkRun[] = [];
    for (const p of await this.options.store.listScheduledProfiles()) {
      const slot = dueSlot(p.schedule!, p.lastScheduledAt, now);
      if (!slot) continue;
      const run = await this.options.store.claimScheduleSlot(
        p.id,
        slot,
        await this.withEntityTarget({
          profileId: p.id,
          entityRef: p.entityRef,
          profile: storedProfileSpec(p),
          trigger: 'schedule',
          createdBy: PLUGIN_PRINCIPAL,
        }),
      );
      if (run) {
        this.options.logger.info(
          `Queued scheduled benchmark run ${run.id} of profile '${p.name}' for ${slot}`,
        );
        queued.push(run);
      }
    }
    this.pump();
    return queued;
  }

  /**
   * Cancels a run: a queued one at once; a running one here is aborted at once (it ends
   * cancelled with what was measured); one running on another instance is flagged, and that
   * instance aborts it within a second. Returns the run as it is now.
   */
  async cancel(id: string): Promise<BenchmarkRun | undefined> {
    const { store } = this.options;
    const active = this.active.get(id);
    if (active) {
      active.reason = 'cancel';
      active.controller.abort();
      await this.settled(id);
      return store.getRun(id);
    }
    if (await store.cancelQueued(id)) {
      const run = (await store.getRun(id))!;
      this.publish(id, { type: 'state', run });
      return run;
    }
    await store.requestCancel(id);
    return store.getRun(id);
  }

  /** Listens to a run's progress and state changes; returns the unsubscribe function. */
  subscribe(id: string, listener: (e: RunEvent) => void): () => void {
    this.events.on(id, listener);
    return () => this.events.off(id, listener);
  }

  /** Whether this instance is executing the run. */
  isLocal(id: string): boolean {
    return this.active.has(id);
  }

  /** Resolves once no local execution of the run is in progress. */
  private async settled(id: string): Promise<void> {
    while (this.active.has(id)) {
      await new Promise(resolve => setTimeout(resolve, 10));
    }
  }

  private publish(id: string, e: RunEvent) {
    this.events.emit(id, e);
  }

  /** Starts queued runs while there is a free slot; calls never overlap. */
  pump(): Promise<void> {
    this.pumping = this.pumping
      .then(async () => {
        while (
          !this.stopped &&
          this.active.size < this.options.config.concurrency
        ) {
          const run = await this.options.store.claimNextQueued();
          if (!run) return;
          this.active.set(run.id, { controller: new AbortController() });
          this.publish(run.id, { type: 'state', run });
          const p = this.execute(run).finally(() => {
            this.running.delete(p);
            this.pump();
          });
          this.running.add(p);
        }
      })
      .catch(error =>
        this.options.logger.error(
          `Could not start queued benchmark runs: ${error}`,
        ),
      );
    return this.pumping;
  }

  private async execute(run: BenchmarkRun): Promise<void> {
    const { store, logger, config } = this.options;
    const runner = run.profile.inCluster
      ? this.options.clusterRunner
      : this.options.runner;
    const active = this.active.get(run.id)!;
    const { signal } = active.controller;
    const limitTimer = setTimeout(() => {
      active.reason = 'limit';
      active.controller.abort();
    }, wallClockBoundMs(run.profile, config.limits.maxDurationMs));
    const cancelPoll = setInterval(async () => {
      try {
        const { cancelRequested } = await store.heartbeat(run.id);
        if (cancelRequested && !signal.aborted) {
          active.reason = 'cancel';
          active.controller.abort();
        }
      } catch {
        // The next beat tries again; the run itself is unaffected.
      }
    }, HEARTBEAT_MS);
    const labels = [
      `run=${run.id}`,
      `profile=${label(run.profile.name)}`,
      ...(run.mesh ? [`mesh=${label(run.mesh)}`] : []),
      ...(run.meshVersion ? [`meshVersion=${label(run.meshVersion)}`] : []),
      ...(run.cluster ? [`cluster=${label(run.cluster)}`] : []),
    ].join(',');

    let outcome: Parameters<BenchmarkStore['finishRun']>[1];
    // Secret header values exist in plain text only here, for the runner: an error that repeats
    // one (a client library quoting a header) is stored and logged without it.
    let secretValues: string[] = [];
    try {
      if (!runner) throw new Error('in-cluster runs are not available here');
      const opened = openSecretHeaders(run.profile, this.options.secrets);
      secretValues = opened.values;
      const { result, environment } = await runner.run(
        opened.profile,
        signal,
        progress => this.publish(run.id, { type: 'progress', progress }),
        { labels, runId: run.id },
      );
      const limits = toThresholds(run.profile);
      let thresholds: ThresholdOutcome | undefined;
      if (limits) {
        const broken = checkThresholds(result, limits);
        thresholds = { passed: broken.length === 0, broken };
      }
      const stored = { result, environment, thresholds };
      if (active.reason === 'cancel') {
        outcome = { state: 'cancelled', result: stored };
      } else if (active.reason === 'limit') {
        outcome = {
          state: 'failed',
          error: `stopped after the wall-clock limit derived from mesh.benchmark.maxDuration`,
          result: stored,
        };
      } else {
        outcome = { state: 'succeeded', result: stored };
      }
    } catch (error) {
      outcome = {
        state: active.reason === 'cancel' ? 'cancelled' : 'failed',
        error: redactSecrets(
          error instanceof Error ? error.message : String(error),
          secretValues,
        ),
      };
    } finally {
      clearTimeout(limitTimer);
      clearInterval(cancelPoll);
    }
    try {
      const finished = await store.finishRun(run.id, outcome);
      if (!finished) {
        logger.warn(
          `Benchmark run ${run.id} was finished elsewhere; its result is dropped`,
        );
      }
      const now = await store.getRun(run.id);
      this.active.delete(run.id);
      if (now) this.publish(run.id, { type: 'state', run: now });
      logger.info(
        `Benchmark run ${run.id} (${run.profile.name}) ${now?.state}${
          now?.error ? `: ${now.error}` : ''
        }`,
      );
    } catch (error) {
      this.active.delete(run.id);
      logger.error(`Could not store benchmark run ${run.id}: ${error}`);
    }
  }
}
