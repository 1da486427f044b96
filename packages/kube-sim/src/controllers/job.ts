import { meta } from '../api/types';
import { clone, JsonObject } from '../util/objects';
import { nowTimestamp } from '../util/time';
import { Controller, ControllerContext } from './manager';
import {
  controlledBy,
  isActivePod,
  isPodReady,
  keyOf,
  createControlledPod,
  ownerKeys,
  podFromTemplate,
  podPhase,
  selfKey,
  splitKey,
  writeStatusIfChanged,
} from './util';

/** Runs Jobs: keeps `parallelism` pods running until `completions` succeeded (or backoffLimit failures). */
export class JobController implements Controller {
  readonly name = 'job';
  readonly watches = { 'batch/jobs': selfKey, '/pods': ownerKeys('Job') };

  initialKeys(ctx: ControllerContext): string[] {
    return ctx.api.store.list('batch/jobs').map(keyOf);
  }

  reconcile(key: string, ctx: ControllerContext): void {
    const { namespace, name } = splitKey(key);
    const jobType = ctx.type('batch', 'jobs');
    const job = ctx.api.tryGet(jobType, namespace, name);
    if (!job || meta(job).deletionTimestamp) return;
    const spec = job.spec as JsonObject;
    const prev = (job.status ?? {}) as JsonObject;
    const conds = Array.isArray(prev.conditions)
      ? (prev.conditions as JsonObject[])
      : [];
    if (
      conds.some(
        c =>
          (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True',
      )
    )
      return;
    const pods = controlledBy(ctx.api.store, '/pods', meta(job).uid!);
    const succeeded = pods.filter(p => podPhase(p) === 'Succeeded').length;
    const failed = pods.filter(p => podPhase(p) === 'Failed').length;
    const active = pods.filter(isActivePod);
    const completions = Number(spec.completions ?? 1);
    const parallelism = Number(spec.parallelism ?? 1);
    const now = nowTimestamp(ctx.now());
    const status: JsonObject = { ...clone(prev) };
    status.startTime ??= now;
    const done = succeeded >= completions;
    const backoff = failed > Number(spec.backoffLimit ?? 6);
    if (!done && !backoff && !spec.suspend) {
      const want = Math.min(parallelism, completions - succeeded);
      for (let i = active.length; i < want; i++) {
        const pod = podFromTemplate(spec.template, job, {
          generateName: `${name}-`,
        });
        active.push(createControlledPod(ctx, job, pod, 'job-controller'));
      }
    }
    if (backoff) {
      // A failed Job stops its remaining pods (and so their processes), as the real controller does.
      for (const p of active)
        ctx.api.delete(ctx.type('', 'pods'), namespace, meta(p).name!, {}, {});
      active.length = 0;
    }
    status.active = active.length;
    status.succeeded = succeeded;
    status.failed = failed;
    status.ready = active.filter(isPodReady).length;
    status.terminating = 0;
    status.uncountedTerminatedPods = {};
    if (done) {
      status.completionTime = now;
      status.active = 0;
      status.conditions = [
        {
          type: 'SuccessCriteriaMet',
          status: 'True',
          lastProbeTime: now,
          lastTransitionTime: now,
          reason: 'CompletionsReached',
          message: 'Reached expected number of succeeded pods',
        },
        {
          type: 'Complete',
          status: 'True',
          lastProbeTime: now,
          lastTransitionTime: now,
          reason: 'CompletionsReached',
          message: 'Reached expected number of succeeded pods',
        },
      ];
      ctx.events.record(
        job,
        'Normal',
        'Completed',
        'Job completed',
        'job-controller',
      );
    } else if (backoff) {
      status.conditions = [
        {
          type: 'FailureTarget',
          status: 'True',
          lastProbeTime: now,
          lastTransitionTime: now,
          reason: 'BackoffLimitExceeded',
          message: 'Job has reached the specified backoff limit',
        },
        {
          type: 'Failed',
          status: 'True',
          lastProbeTime: now,
          lastTransitionTime: now,
          reason: 'BackoffLimitExceeded',
          message: 'Job has reached the specified backoff limit',
        },
      ];
      ctx.events.record(
        job,
        'Warning',
        'BackoffLimitExceeded',
        'Job has reached the specified backoff limit',
        'job-controller',
      );
    }
    for (const k of ['active', 'succeeded', 'failed'])
      if (status[k] === 0) delete status[k];
    writeStatusIfChanged(ctx, jobType, job, status);
  }
}
