import { type Config, readDurationFromConfig } from '@backstage/config';

type HumanDuration = ReturnType<typeof readDurationFromConfig>;

/** Settings of lifecycle operations, from `mesh.operations`. */
export interface OperationsConfig {
  /** A running operation whose heartbeat is older than this is marked interrupted. */
  interruptAfterMs: number;
  /** How often a running operation's heartbeat is refreshed: a quarter of the above. */
  heartbeatIntervalMs: number;
  /** How often the scheduled drift check runs (`mesh.operations.driftCheckFrequency`). */
  driftSchedule: HumanDuration;
}

/** Used when `mesh.operations.interruptAfter` is not set. */
export const DEFAULT_INTERRUPT_AFTER_MS = 60_000;

const MS: Record<string, number> = {
  milliseconds: 1,
  seconds: 1000,
  minutes: 60_000,
  hours: 3_600_000,
};

/** Reads `mesh.operations`; zero config gives a one-minute interruption threshold. */
export function readOperationsConfig(config: Config): OperationsConfig {
  const key = 'mesh.operations.interruptAfter';
  let interruptAfterMs = DEFAULT_INTERRUPT_AFTER_MS;
  if (config.has(key)) {
    const duration = readDurationFromConfig(config, { key });
    interruptAfterMs = Object.entries(duration).reduce(
      (sum, [unit, value]) => sum + (value ?? 0) * (MS[unit] ?? NaN),
      0,
    );
    if (!(interruptAfterMs > 0)) {
      throw new Error(
        `${key} must be a positive duration in milliseconds, seconds, minutes or hours`,
      );
    }
  }
  const driftKey = 'mesh.operations.driftCheckFrequency';
  const driftSchedule: HumanDuration = config.has(driftKey)
    ? readDurationFromConfig(config, { key: driftKey })
    : { minutes: 10 };
  return {
    interruptAfterMs,
    driftSchedule,
    heartbeatIntervalMs: Math.max(250, Math.floor(interruptAfterMs / 4)),
  };
}
