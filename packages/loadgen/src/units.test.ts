import {
  formatMs,
  parseCount,
  parseDuration,
  parseRatio,
  UnitError,
} from './units';

describe('units', () => {
  it('parses durations', () => {
    expect(parseDuration('10s')).toBe(10_000);
    expect(parseDuration('250ms')).toBe(250);
    expect(parseDuration('1m30s')).toBe(90_000);
    expect(parseDuration('1.5s')).toBe(1500);
    expect(parseDuration('500us')).toBe(0.5);
    expect(parseDuration('2h')).toBe(7_200_000);
    expect(parseDuration('3')).toBe(3000);
    for (const bad of ['', 's', '10x', '-1s', '1s-', 'ten'])
      expect(() => parseDuration(bad)).toThrow(UnitError);
  });

  it('parses ratios and counts', () => {
    expect(parseRatio('0.1%')).toBeCloseTo(0.001);
    expect(parseRatio('5%')).toBeCloseTo(0.05);
    expect(parseRatio('0.02')).toBeCloseTo(0.02);
    expect(() => parseRatio('150%')).toThrow(UnitError);
    expect(() => parseRatio('x%')).toThrow(UnitError);
    expect(parseCount('12', 'connections')).toBe(12);
    expect(() => parseCount('0', 'connections')).toThrow('at least 1');
    expect(() => parseCount('1.5', 'connections')).toThrow(UnitError);
  });

  it('formats latencies for people', () => {
    expect(formatMs(0.25)).toBe('250µs');
    expect(formatMs(3.256)).toBe('3.26ms');
    expect(formatMs(73.24)).toBe('73.2ms');
    expect(formatMs(1500)).toBe('1.50s');
  });
});
