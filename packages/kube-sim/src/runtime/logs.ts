/** Key of a container's log: namespace/pod/container. */
function key(ns: string, pod: string, container: string): string {
  return `${ns}/${pod}/${container}`;
}

export interface LogLine {
  time: string;
  text: string;
}

/**
 * Container logs kept in memory (bounded per container), with followers for
 * `kubectl logs -f`. Runtimes write here; the pods/log endpoint reads.
 */
export class LogStore {
  private readonly logs = new Map<string, LogLine[]>();
  /** The log of the previous instance of a restarted container (`kubectl logs --previous`). */
  private readonly previous = new Map<string, LogLine[]>();
  private readonly followers = new Map<
    string,
    Set<(line: LogLine | null) => void>
  >();

  constructor(private readonly maxLinesPerContainer = 2000) {}

  append(
    ns: string,
    pod: string,
    container: string,
    text: string,
    time = new Date().toISOString(),
  ): void {
    const k = key(ns, pod, container);
    let lines = this.logs.get(k);
    if (!lines) this.logs.set(k, (lines = []));
    const line = { time, text };
    lines.push(line);
    if (lines.length > this.maxLinesPerContainer)
      lines.splice(0, lines.length - this.maxLinesPerContainer);
    for (const f of this.followers.get(k) ?? []) f(line);
  }

  read(ns: string, pod: string, container: string): LogLine[] {
    return this.logs.get(key(ns, pod, container)) ?? [];
  }

  /** The previous instance's lines, or undefined when the container never restarted. */
  readPrevious(
    ns: string,
    pod: string,
    container: string,
  ): LogLine[] | undefined {
    return this.previous.get(key(ns, pod, container));
  }

  /** A container restarts: its current log becomes the previous one. */
  rotate(ns: string, pod: string, container: string): void {
    const k = key(ns, pod, container);
    this.previous.set(k, this.logs.get(k) ?? []);
    this.logs.delete(k);
  }

  /** A container exited: its followers end (as `kubectl logs -f` does when the container stops). */
  endContainer(ns: string, pod: string, container: string): void {
    const k = key(ns, pod, container);
    for (const f of this.followers.get(k) ?? []) f(null);
    this.followers.delete(k);
  }

  /** Calls fn for each new line, and with null when the pod is gone. */
  follow(
    ns: string,
    pod: string,
    container: string,
    fn: (line: LogLine | null) => void,
  ): () => void {
    const k = key(ns, pod, container);
    let s = this.followers.get(k);
    if (!s) this.followers.set(k, (s = new Set()));
    s.add(fn);
    return () => {
      s!.delete(fn);
    };
  }

  /** Drops a pod's logs and ends its followers. */
  removePod(ns: string, pod: string): void {
    const prefix = `${ns}/${pod}/`;
    for (const k of [...this.logs.keys()])
      if (k.startsWith(prefix)) this.logs.delete(k);
    for (const k of [...this.previous.keys()])
      if (k.startsWith(prefix)) this.previous.delete(k);
    for (const [k, fs] of [...this.followers]) {
      if (!k.startsWith(prefix)) continue;
      for (const f of fs) f(null);
      this.followers.delete(k);
    }
  }

  /** Ends every follower (server shutdown). */
  closeAll(): void {
    for (const fs of this.followers.values()) for (const f of fs) f(null);
    this.followers.clear();
  }
}
