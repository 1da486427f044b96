import type { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import {
  ACTIVE_OPERATION_STATES,
  type Operation,
} from '@meshstage/plugin-mesh-common';
import { OperationConflictError, type OperationStore } from '../lifecycle';
import { attemptState } from './backoff';
import type { OnboardingService } from './OnboardingService';
import { type PendingFix, planStarts, type SkippedFix } from './planStarts';
import type { OnboardingConfig } from './readOnboardingConfig';
import type { RefusalBook } from './RefusalBook';
import {
  type OnboardingStartDeps,
  startOnboardingOperation,
} from './startOnboardingOperation';

/** What {@link OnboardingAutomation} needs. */
export interface OnboardingAutomationOptions extends OnboardingStartDeps {
  auth: AuthService;
  logger: LoggerService;
  service: OnboardingService;
  store: OperationStore;
  settings: OnboardingConfig;
  refusals: RefusalBook;
  /** The clock backoff is measured with (tests move it forward). */
  now?: () => Date;
}

/** What one tick did. */
export interface OnboardingTickResult {
  started: Operation[];
  skipped: SkippedFix[];
  /** Fixes whose start was refused (permission, planner), with the reason. */
  refused: SkippedFix[];
}

/**
 * `mesh.onboarding.mode: auto`: one tick compares every entity (catalog read with the plugin's own
 * service credentials) and starts the operations that bring them in sync, as far as
 * `maxConcurrent`, the per-cluster-and-mesh locks and each entity's backoff allow. Run by the
 * scheduler as a global task, so one backend instance ticks at a time.
 */
export class OnboardingAutomation {
  constructor(private readonly options: OnboardingAutomationOptions) {}

  async tick(): Promise<OnboardingTickResult> {
    const { auth, service, store, settings, refusals, logger } = this.options;
    const now = (this.options.now ?? (() => new Date()))();
    const { comparisons, history } = await service.compareAll({
      credentials: await auth.getOwnServiceCredentials(),
    });

    const pending: PendingFix[] = comparisons.flatMap(c =>
      c.fixes.map(fix => ({
        entityRef: c.entityRef,
        fix,
        attempt: attemptState({
          entityRef: c.entityRef,
          fix,
          history,
          refusal: refusals.get(c.entityRef, fix),
          settings: settings.backoff,
        }),
      })),
    );
    const lockedBy = new Map<string, string>();
    for (const lock of new Set(
      pending.map(p => `${p.fix.request.cluster}|${p.fix.request.mesh}`),
    )) {
      const [cluster, mesh] = lock.split('|');
      const holder = await store.lockHolder(cluster, mesh);
      if (holder) lockedBy.set(lock, holder);
    }
    const running = history.filter(op =>
      ACTIVE_OPERATION_STATES.includes(op.state),
    ).length;
    const plan = planStarts({
      pending,
      lockedBy,
      slots: settings.maxConcurrent - running,
      now,
    });

    const result: OnboardingTickResult = {
      started: [],
      skipped: plan.skipped,
      refused: [],
    };
    for (const start of plan.start) {
      try {
        const operation = await startOnboardingOperation(this.options, start);
        for (const ref of start.entityRefs) refusals.clear(ref, start.fix);
        result.started.push(operation);
        logger.info(
          `Onboarding started operation ${operation.id} (${
            operation.summary
          }) for ${start.entityRefs.join(', ')}`,
        );
      } catch (error) {
        const message = (error as Error).message;
        if (error instanceof OperationConflictError) {
          // Taken since the lock was read: next tick.
          result.skipped.push({ ...start, reason: message });
          continue;
        }
        for (const ref of start.entityRefs) {
          refusals.record(ref, start.fix, message, now);
        }
        result.refused.push({ ...start, reason: message });
        logger.warn(
          `Onboarding could not start ${start.fix.action} of namespace ${
            start.fix.request.namespace
          } on ${start.fix.request.cluster} for ${start.entityRefs.join(
            ', ',
          )}: ${message}`,
        );
      }
    }
    return result;
  }
}
