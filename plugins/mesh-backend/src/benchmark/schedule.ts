import { CronTime } from 'cron';

/** How far back a missed schedule is looked at: a backend down for a week owes one run, not 10,080. */
const LOOK_BACK_MS = 24 * 3_600_000;

/**
 * The cron slot a scheduled profile is due for at `now`: the latest slot after the last one a
 * run was queued for and not after `now` (missed slots collapse into that one), or undefined when
 * nothing is due. Cron expressions are read in UTC. Pure.
 */
export function dueSlot(
  cron: string,
  lastScheduledAt: string | undefined,
  now: Date,
): string | undefined {
  const time = new CronTime(cron, 'UTC');
  const nowMs = now.getTime();
  const lastMs = lastScheduledAt ? Date.parse(lastScheduledAt) : -Infinity;
  let from = Math.max(lastMs, nowMs - LOOK_BACK_MS);
  let due: number | undefined;
  // Bounded: a cron every second over the look-back window is 86,400 steps.
  for (let i = 0; i < 100_000; i++) {
    const next = time.getNextDateFrom(new Date(from)).toMillis();
    if (next > nowMs) break;
    if (next > lastMs) due = next;
    from = next;
  }
  return due === undefined ? undefined : new Date(due).toISOString();
}
