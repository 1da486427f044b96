import { ChildProcess, spawn } from 'node:child_process';

/** How a local process ended. */
export interface ProcessExit {
  /** The exit code; 128 + signal number when a signal ended it, as a container runtime reports. */
  exitCode: number;
  signal?: NodeJS.Signals;
}

/** A started process: its pid, and `stop` (SIGTERM, then SIGKILL after the grace period). */
export interface LocalProcess {
  readonly pid: number;
  stop(graceMs: number): void;
}

const SIGNALS: Record<string, number> = {
  SIGHUP: 1,
  SIGINT: 2,
  SIGQUIT: 3,
  SIGKILL: 9,
  SIGSEGV: 11,
  SIGPIPE: 13,
  SIGTERM: 15,
};

/** Splits a stream into lines (a trailing partial line is flushed at the end). */
function lines(
  stream: NodeJS.ReadableStream | null,
  emit: (line: string) => void,
): void {
  if (!stream) return;
  let rest = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    const parts = (rest + chunk).split('\n');
    rest = parts.pop() ?? '';
    for (const p of parts) emit(p.replace(/\r$/, ''));
  });
  stream.on('end', () => {
    if (rest) emit(rest);
    rest = '';
  });
}

/**
 * Starts and stops the local processes of pods, each in its own process
 * group (so a shell's children go with it), and keeps every live one so
 * that shutting down leaves no orphan behind.
 */
export class ProcessSupervisor {
  private readonly live = new Map<
    ChildProcess,
    { exited: Promise<void>; killTimer?: NodeJS.Timeout }
  >();

  /**
   * Last resort when kube-sim's process exits without `close()` (a crash, an
   * uncaught error, a test runner tearing its worker down): kill every group
   * synchronously. Only SIGKILL of kube-sim itself can leave orphans.
   */
  private readonly onProcessExit = () => {
    for (const child of this.live.keys()) {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
  };

  /** Pids of the processes still running (tests check they are gone). */
  get pids(): number[] {
    return [...this.live.keys()].map(c => c.pid!).filter(Boolean);
  }

  /**
   * Spawns argv with env; stdout and stderr arrive line by line; `onExit`
   * runs once the process is gone and its output read. Spawn failures (no
   * such file) arrive as exit code 127 with a line on stderr, as a shell reports them.
   */
  start(
    argv: string[],
    opts: { env: Record<string, string>; cwd?: string },
    onLine: (line: string, stream: 'stdout' | 'stderr') => void,
    onExit: (exit: ProcessExit) => void,
  ): LocalProcess {
    const child = spawn(argv[0], argv.slice(1), {
      env: opts.env,
      cwd: opts.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    lines(child.stdout, l => onLine(l, 'stdout'));
    lines(child.stderr, l => onLine(l, 'stderr'));
    let done!: () => void;
    const entry: { exited: Promise<void>; killTimer?: NodeJS.Timeout } = {
      exited: new Promise<void>(r => (done = r)),
    };
    if (this.live.size === 0) process.on('exit', this.onProcessExit);
    this.live.set(child, entry);
    let reported = false;
    const finish = (exit: ProcessExit) => {
      if (reported) return;
      reported = true;
      if (entry.killTimer) clearTimeout(entry.killTimer);
      this.live.delete(child);
      if (this.live.size === 0) process.off('exit', this.onProcessExit);
      done();
      onExit(exit);
    };
    child.on('error', e => {
      // spawn failed: no process (and no 'close' with streams) may follow
      if (child.pid === undefined) {
        onLine(`kube-sim: cannot run ${argv[0]}: ${e.message}`, 'stderr');
        finish({ exitCode: 127 });
      }
    });
    child.on('close', (code, signal) =>
      finish(
        code !== null
          ? { exitCode: code }
          : {
              exitCode: 128 + (SIGNALS[signal ?? ''] ?? 0),
              signal: signal ?? undefined,
            },
      ),
    );
    const signalGroup = (sig: NodeJS.Signals) => {
      if (child.pid === undefined || !this.live.has(child)) return;
      try {
        process.kill(-child.pid, sig);
      } catch {
        // the group is gone already
      }
    };
    return {
      pid: child.pid ?? -1,
      stop: graceMs => {
        if (!this.live.has(child) || entry.killTimer) return;
        signalGroup('SIGTERM');
        entry.killTimer = setTimeout(
          () => signalGroup('SIGKILL'),
          Math.max(graceMs, 0),
        );
      },
    };
  }

  /**
   * Ends every process: SIGTERM now (for those not stopping yet), SIGKILL
   * after `graceMs`; resolves once all are gone.
   */
  async shutdown(graceMs: number): Promise<void> {
    const all = [...this.live];
    for (const [child, entry] of all) {
      if (child.pid === undefined) continue;
      try {
        if (!entry.killTimer) process.kill(-child.pid, 'SIGTERM');
      } catch {
        // gone
      }
      if (entry.killTimer) clearTimeout(entry.killTimer);
      entry.killTimer = setTimeout(() => {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          // gone
        }
      }, graceMs);
    }
    await Promise.all(all.map(([, e]) => e.exited));
  }
}
