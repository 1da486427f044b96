/**
 * A one-line live progress display for terminals. It writes nothing when the
 * stream is not a TTY, so piped and CI output stays clean.
 *
 * @packageDocumentation
 */
import type { Progress } from '../types';
import { formatInt } from '../units';

/** The writable side a progress line needs. */
export interface ProgressStream {
  isTTY?: boolean;
  write(chunk: string): unknown;
}

/** Formats one progress line (pure). `totalMs`/`totalCount` describe the run's end. */
export function formatProgress(
  p: Progress,
  rps: number,
  totalMs?: number,
  totalCount?: number,
): string {
  if (p.warmingUp)
    return `meshperf  warming up ${(Math.max(0, -p.elapsedMs) / 1000).toFixed(
      1,
    )}s left`;
  const where =
    totalCount !== undefined
      ? `${formatInt(p.completed)}/${formatInt(totalCount)} req`
      : `${(p.elapsedMs / 1000).toFixed(1)}s/${((totalMs ?? 0) / 1000).toFixed(
          0,
        )}s  ${formatInt(p.completed)} req`;
  return `meshperf  ${where}  ${formatInt(rps)} req/s  ${formatInt(
    p.failed,
  )} failed`;
}

/** Rewrites a single terminal line as progress arrives. */
export class ProgressLine {
  /** Recent (time, completed) samples: the rate shown is over the last second or so. */
  private history: { t: number; completed: number }[] = [];
  private shown = false;

  constructor(
    private readonly stream: ProgressStream,
    private readonly totalMs?: number,
    private readonly totalCount?: number,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** Whether anything will be drawn. */
  get enabled(): boolean {
    return !!this.stream.isTTY;
  }

  update(p: Progress): void {
    if (!this.enabled) return;
    const t = this.now();
    let rps = 0;
    if (p.warmingUp) this.history = [];
    else {
      const h = this.history;
      h.push({ t, completed: p.completed });
      while (h.length > 2 && h[1].t <= t - 1000) h.shift();
      if (h.length > 1 && t > h[0].t)
        rps = ((p.completed - h[0].completed) * 1000) / (t - h[0].t);
    }
    this.stream.write(
      `\r\x1b[2K${formatProgress(p, rps, this.totalMs, this.totalCount)}`,
    );
    this.shown = true;
  }

  /** Clears the line so the summary starts on a clean one. */
  done(): void {
    if (this.shown) this.stream.write('\r\x1b[2K');
    this.shown = false;
  }
}
