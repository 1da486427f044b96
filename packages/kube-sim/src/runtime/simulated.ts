import { KubeObject, meta } from '../api/types';
import { PodRuntime, RunningPod, RuntimeCallbacks } from './runtime';

export interface SimulatedRuntimeOptions {
  /** Time from start to containers running (ms). */
  startDelayMs: number;
  /** Run time of containers of pods that run to completion (Job pods). */
  completeDelayMs: number;
}

/** True for pods that are expected to finish: Job pods. */
function runsToCompletion(pod: KubeObject): boolean {
  return (meta(pod).ownerReferences ?? []).some(o => o.kind === 'Job');
}

/**
 * Pretends to run containers: init containers complete, containers start
 * after a short delay and write a few log lines; Job pods exit 0 later.
 */
export class SimulatedRuntime implements PodRuntime {
  readonly name = 'simulated';

  constructor(private readonly opts: SimulatedRuntimeOptions) {}

  start(pod: KubeObject, cb: RuntimeCallbacks): RunningPod {
    const spec = (pod.spec ?? {}) as {
      containers?: { name: string; image?: string }[];
      initContainers?: { name: string; image?: string }[];
    };
    const timers: NodeJS.Timeout[] = [];
    const later = (ms: number, fn: () => void) => {
      const t = setTimeout(fn, ms);
      timers.push(t);
    };
    later(this.opts.startDelayMs, () => {
      const inits = spec.initContainers ?? [];
      for (const c of inits) {
        cb.log(
          c.name,
          `[kube-sim] init container ${c.name} (${c.image ?? ''}) started`,
        );
        cb.log(c.name, `[kube-sim] init container ${c.name} completed`);
      }
      if (inits.length)
        cb.report({
          exited: inits.map(c => ({
            name: c.name,
            exitCode: 0,
            reason: 'Completed',
          })),
        });
      const cs = spec.containers ?? [];
      for (const c of cs) {
        cb.log(c.name, `[kube-sim] container ${c.name} started`);
        cb.log(
          c.name,
          `[kube-sim] image ${c.image ?? ''} (simulated: no process runs)`,
        );
      }
      cb.report({ started: cs.map(c => c.name) });
      if (runsToCompletion(pod)) {
        later(this.opts.completeDelayMs, () => {
          for (const c of cs)
            cb.log(c.name, `[kube-sim] container ${c.name} completed`);
          cb.report({
            exited: cs.map(c => ({
              name: c.name,
              exitCode: 0,
              reason: 'Completed',
            })),
          });
        });
      }
    });
    return {
      stop: () => {
        for (const t of timers) clearTimeout(t);
      },
    };
  }
}
