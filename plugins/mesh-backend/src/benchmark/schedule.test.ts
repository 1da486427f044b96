import { isCronExpression } from './profileSchema';
import { dueSlot } from './schedule';

describe('dueSlot', () => {
  const at = (iso: string) => new Date(iso);

  it('is the latest slot after the last one, collapsing missed slots', () => {
    expect(
      dueSlot(
        '*/5 * * * *',
        '2026-01-01T00:00:00.000Z',
        at('2026-01-01T00:12:00Z'),
      ),
    ).toBe('2026-01-01T00:10:00.000Z');
  });

  it('is nothing when the next slot is still ahead', () => {
    expect(
      dueSlot(
        '*/5 * * * *',
        '2026-01-01T00:10:00.000Z',
        at('2026-01-01T00:14:59Z'),
      ),
    ).toBeUndefined();
  });

  it('includes a slot exactly at now', () => {
    expect(
      dueSlot(
        '*/5 * * * *',
        '2026-01-01T00:10:00.000Z',
        at('2026-01-01T00:15:00Z'),
      ),
    ).toBe('2026-01-01T00:15:00.000Z');
  });

  it('reads cron in UTC', () => {
    expect(
      dueSlot(
        '0 3 * * *',
        '2026-01-01T00:00:00.000Z',
        at('2026-01-01T05:00:00Z'),
      ),
    ).toBe('2026-01-01T03:00:00.000Z');
  });

  it('looks back one day at most', () => {
    expect(
      dueSlot(
        '0 * * * *',
        '2025-01-01T00:00:00.000Z',
        at('2026-01-01T05:30:00Z'),
      ),
    ).toBe('2026-01-01T05:00:00.000Z');
  });
});

describe('isCronExpression', () => {
  it.each(['*/5 * * * *', '0 3 * * 1-5', '30 */2 * * *'])('accepts %s', c =>
    expect(isCronExpression(c)).toBe(true),
  );
  it.each(['every 5 minutes', '61 * * * *', '* * *', ''])('rejects %p', c =>
    expect(isCronExpression(c)).toBe(false),
  );
});
