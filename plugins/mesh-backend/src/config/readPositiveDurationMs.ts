import { type Config, readDurationFromConfig } from '@backstage/config';

type Duration = ReturnType<typeof readDurationFromConfig>;

const MS_PER_UNIT: Record<keyof Duration, number> = {
  milliseconds: 1,
  seconds: 1000,
  minutes: 60_000,
  hours: 3_600_000,
  days: 86_400_000,
  weeks: 604_800_000,
  months: 2_592_000_000,
  years: 31_536_000_000,
};

/** A Backstage duration in milliseconds. */
export function durationToMs(duration: Duration): number {
  return Object.entries(duration).reduce(
    (sum, [unit, value]) =>
      sum + (value ?? 0) * (MS_PER_UNIT[unit as keyof Duration] ?? 0),
    0,
  );
}

/**
 * A config key holding a Backstage duration (`5s`, `PT5S`, `{ seconds: 5 }`), in milliseconds;
 * `fallback` when the key is absent. Zero or negative durations are a startup error naming the
 * key.
 */
export function readPositiveDurationMs(
  config: Config,
  key: string,
  fallback: number,
): number {
  if (!config.has(key)) return fallback;
  const ms = durationToMs(readDurationFromConfig(config, { key }));
  if (!(ms > 0)) throw new Error(`${key} must be a positive duration`);
  return ms;
}
