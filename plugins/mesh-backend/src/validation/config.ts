import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  type SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { type Config, ConfigReader } from '@backstage/config';

/** `mesh.validation.*` with defaults applied. */
export interface ValidationConfig {
  /** Whether the scheduled scan of every cluster runs. */
  enabled: boolean;
  schedule: SchedulerServiceTaskScheduleDefinition;
  /** Scans kept per cluster; older ones are deleted with their findings. */
  keepScans: number;
  /** Files one `POST /validate` may carry. */
  maxFiles: number;
  /** Bytes one file's content may have. */
  maxFileBytes: number;
  /** Bytes the whole JSON body of `POST /validate` may have. */
  maxRequestBytes: number;
}

/** Every 30 minutes, first a minute after startup, so a scan never delays the backend's start. */
export const DEFAULT_VALIDATION_SCHEDULE: SchedulerServiceTaskScheduleDefinition =
  {
    frequency: { minutes: 30 },
    timeout: { minutes: 10 },
    initialDelay: { minutes: 1 },
  };

export const DEFAULT_VALIDATION_CONFIG: Omit<
  ValidationConfig,
  'schedule' | 'enabled'
> = {
  keepScans: 50,
  maxFiles: 200,
  maxFileBytes: 1024 * 1024,
  maxRequestBytes: 5 * 1024 * 1024,
};

function positiveInt(config: Config, key: string, fallback: number): number {
  const value = config.getOptionalNumber(key);
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`${key} must be a positive integer, got ${value}`);
  }
  return value;
}

/** Reads `mesh.validation`; every key is optional (zero-config defaults). */
export function readValidationConfig(config: Config): ValidationConfig {
  const key = 'mesh.validation';
  // A schedule that gives only `frequency` keeps the default timeout and initial delay.
  const schedule = config.has(`${key}.schedule`)
    ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
        new ConfigReader(
          {
            timeout: { minutes: 10 },
            initialDelay: { minutes: 1 },
            ...config.getConfig(`${key}.schedule`).get<object>(),
          },
          `${key}.schedule`,
        ),
      )
    : DEFAULT_VALIDATION_SCHEDULE;
  return {
    enabled: config.getOptionalBoolean(`${key}.enabled`) ?? true,
    schedule,
    keepScans: positiveInt(
      config,
      `${key}.keepScans`,
      DEFAULT_VALIDATION_CONFIG.keepScans,
    ),
    maxFiles: positiveInt(
      config,
      `${key}.maxFiles`,
      DEFAULT_VALIDATION_CONFIG.maxFiles,
    ),
    maxFileBytes: positiveInt(
      config,
      `${key}.maxFileBytes`,
      DEFAULT_VALIDATION_CONFIG.maxFileBytes,
    ),
    maxRequestBytes: positiveInt(
      config,
      `${key}.maxRequestBytes`,
      DEFAULT_VALIDATION_CONFIG.maxRequestBytes,
    ),
  };
}
