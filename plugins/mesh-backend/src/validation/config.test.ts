import { ConfigReader } from '@backstage/config';
import { DEFAULT_VALIDATION_SCHEDULE, readValidationConfig } from './config';

describe('readValidationConfig', () => {
  it('works with no configuration', () => {
    expect(readValidationConfig(new ConfigReader({}))).toEqual({
      enabled: true,
      schedule: DEFAULT_VALIDATION_SCHEDULE,
      keepScans: 50,
      maxFiles: 200,
      maxFileBytes: 1048576,
      maxRequestBytes: 5242880,
    });
  });

  it('reads a cron schedule and keeps the default timeout', () => {
    const config = readValidationConfig(
      new ConfigReader({
        mesh: {
          validation: {
            enabled: false,
            schedule: { frequency: { cron: '*/5 * * * *' } },
            keepScans: 3,
          },
        },
      }),
    );
    expect(config).toMatchObject({
      enabled: false,
      keepScans: 3,
      schedule: {
        frequency: { cron: '*/5 * * * *' },
        timeout: { minutes: 10 },
      },
    });
  });

  it('reads duration strings', () => {
    const { schedule } = readValidationConfig(
      new ConfigReader({
        mesh: {
          validation: { schedule: { frequency: 'PT15M', timeout: '2m' } },
        },
      }),
    );
    expect(schedule.frequency).toEqual({ minutes: 15 });
  });

  it('rejects limits that are not positive integers', () => {
    expect(() =>
      readValidationConfig(
        new ConfigReader({ mesh: { validation: { maxFiles: 0 } } }),
      ),
    ).toThrow('mesh.validation.maxFiles must be a positive integer, got 0');
  });
});
