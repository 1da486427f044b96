import { ConfigReader } from '@backstage/config';
import { readOperationsConfig } from './readOperationsConfig';

describe('readOperationsConfig', () => {
  it('defaults to one minute, heartbeats every quarter', () => {
    expect(readOperationsConfig(new ConfigReader({}))).toEqual({
      interruptAfterMs: 60_000,
      heartbeatIntervalMs: 15_000,
      driftSchedule: { minutes: 10 },
    });
  });

  it('reads mesh.operations.interruptAfter as a Backstage duration', () => {
    const read = (interruptAfter: unknown) =>
      readOperationsConfig(
        new ConfigReader({ mesh: { operations: { interruptAfter } } } as any),
      );
    expect(read('2m').interruptAfterMs).toBe(120_000);
    expect(read({ seconds: 20 })).toEqual({
      interruptAfterMs: 20_000,
      heartbeatIntervalMs: 5_000,
      driftSchedule: { minutes: 10 },
    });
    expect(() => read({ seconds: 0 })).toThrow(
      /mesh.operations.interruptAfter must be a positive duration/,
    );
  });

  it('reads the drift check frequency', () => {
    expect(
      readOperationsConfig(
        new ConfigReader({
          mesh: { operations: { driftCheckFrequency: '2m' } },
        }),
      ).driftSchedule,
    ).toEqual({ minutes: 2 });
  });
});
