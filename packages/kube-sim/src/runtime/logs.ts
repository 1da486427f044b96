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
