import { build, encodeIntoCompressedBase64 } from 'hdr-histogram-js';
import {
  errorRows,
  formatMs,
  hdrPlot,
  percentileRows,
  percentileTick,
  percentileTicks,
  statusCodeRows,
} from './benchmarkResults';

/** A histogram of 1..n ms (in µs), encoded as loadgen stores it. */
function encoded(n: number, scale = 1): string {
  const h = build({ numberOfSignificantValueDigits: 3 });
  for (let i = 1; i <= n; i++) h.recordValue(i * 1000 * scale);
  return encodeIntoCompressedBase64(h);
}

describe('percentileRows', () => {
  it('lists min, mean, percentiles and max in order', () => {
    const rows = percentileRows({
      min: 0.4,
      mean: 2.3,
      stddev: 3,
      p50: 1.6,
      p75: 2.5,
      p90: 4.3,
      p99: 11.9,
      p999: 57.4,
      p9999: 88.2,
      max: 88.3,
    });
    expect(rows.map(r => r.label)).toEqual([
      'min',
      'mean',
      'p50',
      'p75',
      'p90',
      'p99',
      'p99.9',
      'p99.99',
      'max',
    ]);
    expect(rows.find(r => r.label === 'p99')).toEqual({
      label: 'p99',
      percentile: 99,
      ms: 11.9,
    });
  });
});

describe('hdrPlot', () => {
  it('puts latencies on the 1/(1-q) grid up to the count', () => {
    const { rows, xMax } = hdrPlot([{ key: 'run', data: encoded(1000) }]);
    expect(xMax).toBe(1000);
    // k = 0..30: x from 1 to 1000.
    expect(rows).toHaveLength(31);
    expect(rows[0]).toMatchObject({ x: 1, percentile: 0 });
    expect(rows[10]).toMatchObject({ x: 10, percentile: 90 });
    expect(rows[10].run).toBeCloseTo(900, -1);
    expect(rows[20]).toMatchObject({ x: 100, percentile: 99 });
    expect(rows[20].run).toBeCloseTo(990, -1);
    // Monotonic.
    for (let i = 1; i < rows.length; i++) {
      expect(rows[i].run).toBeGreaterThanOrEqual(rows[i - 1].run);
    }
  });

  it('shares one grid between series, each up to its own count', () => {
    const { rows, xMax } = hdrPlot([
      { key: 'a', data: encoded(100) },
      { key: 'b', data: encoded(1000, 2) },
    ]);
    expect(xMax).toBe(1000);
    expect(rows[20]).toHaveProperty('a');
    expect(rows[21]).not.toHaveProperty('a');
    expect(rows[21]).toHaveProperty('b');
    expect(rows[10].b).toBeGreaterThan(rows[10].a);
  });

  it('is empty for empty histograms', () => {
    const h = build();
    expect(
      hdrPlot([{ key: 'x', data: encodeIntoCompressedBase64(h) }]),
    ).toEqual({ rows: [], xMax: 10 });
  });
});

describe('axis', () => {
  it('labels 1/(1-q) as percentiles', () => {
    expect([1, 10, 100, 1000, 10000].map(percentileTick)).toEqual([
      '0%',
      '90%',
      '99%',
      '99.9%',
      '99.99%',
    ]);
    expect(percentileTicks(5000)).toEqual([1, 10, 100, 1000]);
  });
});

describe('status codes and errors', () => {
  it('sorts codes by count with their share', () => {
    expect(statusCodeRows({ '503': 5, '200': 95 }, 100)).toEqual([
      { code: '200', count: 95, share: 0.95 },
      { code: '503', count: 5, share: 0.05 },
    ]);
  });

  it('lists the error kinds that occurred', () => {
    expect(
      errorRows({ timeout: 2, reset: 0, refused: 1, other: 0, total: 3 }),
    ).toEqual([
      { kind: 'timeout', label: 'Timeouts', count: 2 },
      { kind: 'refused', label: 'Connections refused', count: 1 },
    ]);
  });

  it('formats latencies', () => {
    expect(formatMs(1.23456)).toBe('1.235 ms');
    expect(formatMs(12.345)).toBe('12.35 ms');
    expect(formatMs(123.45)).toBe('123.5 ms');
  });
});
