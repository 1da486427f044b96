import { type Config, readDurationFromConfig } from '@backstage/config';
import { readPositiveDurationMs } from '../config/readPositiveDurationMs';

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

/** Reads `mesh.operations`; zero config gives a one-minute interruption threshold. */
export function readOperationsConfig(config: Config): OperationsConfig {
  const interruptAfterMs = readPositiveDurationMs(
    config,
    'mesh.operations.interruptAfter',
    DEFAULT_INTERRUPT_AFTER_MS,
  );
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
