import { type Config, readDurationFromConfig } from '@backstage/config';
import type { OnboardingMode } from '@meshstage/plugin-mesh-common';
import { readPositiveDurationMs } from '../config/readPositiveDurationMs';
import type { BackoffSettings } from './backoff';

type HumanDuration = ReturnType<typeof readDurationFromConfig>;

/** Settings of the catalog-driven onboarding, from `mesh.onboarding`. */
export interface OnboardingConfig {
  mode: OnboardingMode;
  /** How often the automatic onboarding compares and acts (`auto` only). */
  frequency: HumanDuration;
  /** Automatic operations running at once, at most. */
  maxConcurrent: number;
  backoff: BackoffSettings;
}

const MODES: readonly OnboardingMode[] = ['manual', 'auto'];

/**
 * Reads `mesh.onboarding`; zero config is `manual` (the state is shown, nothing is started).
 * A value of the wrong shape stops the plugin at start, naming the key.
 */
export function readOnboardingConfig(config: Config): OnboardingConfig {
  const mode = config.getOptionalString('mesh.onboarding.mode') ?? 'manual';
  if (!MODES.includes(mode as OnboardingMode)) {
    throw new Error(
      `mesh.onboarding.mode must be one of ${MODES.join(', ')}; got '${mode}'`,
    );
  }
  const maxConcurrent =
    config.getOptionalNumber('mesh.onboarding.maxConcurrent') ?? 2;
  if (!Number.isInteger(maxConcurrent) || maxConcurrent < 1) {
    throw new Error(
      `mesh.onboarding.maxConcurrent must be a whole number of at least 1; got ${maxConcurrent}`,
    );
  }
  const frequencyKey = 'mesh.onboarding.frequency';
  // Checked positive first: a zero frequency would make the scheduler spin.
  readPositiveDurationMs(config, frequencyKey, 1);
  const frequency: HumanDuration = config.has(frequencyKey)
    ? readDurationFromConfig(config, { key: frequencyKey })
    : { minutes: 1 };
  const initialMs = readPositiveDurationMs(
    config,
    'mesh.onboarding.backoff.initial',
    60_000,
  );
  const maxMs = readPositiveDurationMs(
    config,
    'mesh.onboarding.backoff.max',
    3_600_000,
  );
  if (maxMs < initialMs) {
    throw new Error(
      'mesh.onboarding.backoff.max must not be shorter than mesh.onboarding.backoff.initial',
    );
  }
  return {
    mode: mode as OnboardingMode,
    frequency,
    maxConcurrent,
    backoff: { initialMs, maxMs },
  };
}
