import type { KubeObject } from '../api/types';

/** What a runtime reports about a pod's containers. */
export interface RuntimeReport {
  /** Containers (or init containers) now running and ready. */
  started?: string[];
  /** Containers now running but not ready yet (a local process not listening yet). */
  running?: string[];
  /** Running containers that became ready. */
  ready?: string[];
  /**
   * Containers (or init containers) that exited. `restarting`: the runtime
   * restarts it (restartPolicy), so the pod goes on; the exit becomes
   * `lastState` and the restart count goes up.
   */
  exited?: {
    name: string;
    exitCode: number;
    reason?: string;
    message?: string;
    restarting?: boolean;
  }[];
}

/** Callbacks a runtime uses to tell the node agent what happened. */
export interface RuntimeCallbacks {
  report(update: RuntimeReport): void;
  log(container: string, line: string): void;
  /** A container is being restarted: its current log becomes the previous one. */
  rotateLog?(container: string): void;
}

/** A started pod; `stop` ends its containers (pod deleted or server closing). */
export interface RunningPod {
  stop(): void;
}

/**
 * Runs a pod's containers. The simulated runtime only pretends; the local
 * runtime (local.ts) runs configured images such as `meshstage/loadgen` as
 * child processes.
 */
export interface PodRuntime {
  readonly name: string;
  start(pod: KubeObject, callbacks: RuntimeCallbacks): RunningPod;
}

/** Picks the runtime for a pod from its images; simulated unless an image matches a registered runtime. */
export class RuntimeRegistry {
  private readonly entries: {
    matches: (image: string) => boolean;
    runtime: PodRuntime;
  }[] = [];

  constructor(private readonly fallback: PodRuntime) {}

  register(matches: (image: string) => boolean, runtime: PodRuntime): void {
    this.entries.push({ matches, runtime });
  }

  forPod(pod: KubeObject): PodRuntime {
    const spec = (pod.spec ?? {}) as { containers?: { image?: string }[] };
    for (const c of spec.containers ?? []) {
      const e = this.entries.find(x => c.image && x.matches(c.image));
      if (e) return e.runtime;
    }
    return this.fallback;
  }
}
