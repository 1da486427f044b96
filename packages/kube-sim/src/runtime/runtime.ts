import type { KubeObject } from '../api/types';

/** What a runtime reports about a pod's containers. */
export interface RuntimeReport {
  /** Containers (or init containers) now running. */
  started?: string[];
  /** Containers (or init containers) that exited. */
  exited?: { name: string; exitCode: number; reason?: string }[];
}

/** Callbacks a runtime uses to tell the node agent what happened. */
export interface RuntimeCallbacks {
  report(update: RuntimeReport): void;
  log(container: string, line: string): void;
}

/** A started pod; `stop` ends its containers (pod deleted or server closing). */
export interface RunningPod {
  stop(): void;
}

/**
 * Runs a pod's containers. The simulated runtime only pretends; a later
 * runtime can run images such as `meshstage/loadgen` as local processes.
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
