import type { Progress } from '@meshstage/loadgen/model';
import type { RunProgress } from './types';

/**
 * Turns loadgen's cumulative progress (about four snapshots a second) into one sample per second
 * of the run. A second's counts are those seen by the first snapshot after it ended, so a sample
 * can carry up to one snapshot interval (250 ms) of the next second: fine for a live chart, and
 * the stored result's per-second series is exact.
 */
export class ProgressTracker {
  private second: number | undefined;
  private completedBefore = 0;
  private failedBefore = 0;

  constructor(private readonly emit: (p: RunProgress) => void) {}

  update(p: Progress): void {
    const second = Math.floor(p.elapsedMs / 1000);
    if (this.second === undefined) {
      this.second = second;
      return;
    }
    if (second <= this.second) return;
    const requests = p.completed - this.completedBefore;
    const errors = p.failed - this.failedBefore;
    const measuredSeconds = Math.max(p.elapsedMs / 1000, 0);
    this.emit({
      second: this.second,
      warmingUp: this.second < 0,
      requests,
      errors,
      completed: p.completed,
      failed: p.failed,
      ratePerSecond:
        measuredSeconds > 0
          ? Math.round((p.completed / measuredSeconds) * 100) / 100
          : 0,
      ...(p.latencyMs && !p.warmingUp ? { latencyMs: p.latencyMs } : {}),
    });
    this.second = second;
    this.completedBefore = p.completed;
    this.failedBefore = p.failed;
  }
}
