/**
 * Thin helpers over `hdr-histogram-js`: one way to create, encode, decode,
 * add and summarise latency histograms, so every part of the package agrees
 * on units (µs) and precision.
 *
 * @packageDocumentation
 */
import {
  Float64Histogram,
  JsHistogram,
  decodeFromCompressedBase64,
  encodeIntoCompressedBase64,
} from 'hdr-histogram-js';
import type { EncodedHistogram, LatencySummary } from '../types';

/** An HDR histogram of microsecond values. */
export type Histogram = JsHistogram;

/**
 * Creates an auto-resizing histogram of µs values with 3 significant digits
 * (0.1% value resolution), or 2 for the per-second ones that only feed charts.
 * Float64 counts so long runs cannot overflow a bucket.
 */
export function createHistogram(significantDigits: 2 | 3 = 3): Histogram {
  const h = new Float64Histogram(1, 2, significantDigits);
  h.autoResize = true;
  return h;
}

/** Encodes a histogram in the standard HdrHistogram compressed base64 form. */
export function encodeHistogram(h: Histogram): string {
  return encodeIntoCompressedBase64(h);
}

/** Decodes a histogram written by {@link encodeHistogram} (or any HdrHistogram implementation). */
export function decodeHistogram(data: string): Histogram {
  const h = decodeFromCompressedBase64(data, 64, false) as unknown as Histogram;
  h.autoResize = true;
  return h;
}

/** Wraps a histogram into the result's encoded form. */
export function toEncoded(h: Histogram, approximate = false): EncodedHistogram {
  const e: EncodedHistogram = {
    unit: 'us',
    encoding: 'hdr-compressed-base64',
    data: encodeHistogram(h),
  };
  if (approximate) e.approximate = true;
  return e;
}

/** Adds encoded histograms exactly (bucket counts are summed, never averaged). */
export function addEncoded(
  items: string[],
  significantDigits: 2 | 3 = 3,
): Histogram {
  const sum = createHistogram(significantDigits);
  for (const data of items) sum.add(decodeHistogram(data));
  return sum;
}

/** Rounds to 3 decimals (µs resolution for values in ms). */
export const round3 = (v: number) => Math.round(v * 1000) / 1000;

/** Value at a percentile, in ms (0 for an empty histogram). */
export function percentileMs(h: Histogram, percentile: number): number {
  return h.totalCount === 0
    ? 0
    : round3(h.getValueAtPercentile(percentile) / 1000);
}

/** Largest recorded value at histogram resolution (as HdrHistogram's Java getMaxValue), µs. */
export function maxOf(h: Histogram): number {
  return h.totalCount === 0 ? 0 : h.highestEquivalentValue(h.maxValue);
}

/** Smallest recorded value at histogram resolution (as Java's getMinNonZeroValue), µs. */
export function minOf(h: Histogram): number {
  return h.totalCount === 0 ? 0 : h.lowestEquivalentValue(h.minNonZeroValue);
}

/**
 * Summarises a µs histogram in ms. Values are at HDR resolution (0.1%):
 * percentiles and max are the highest equivalent value of their bucket, min
 * the lowest, as HdrHistogram reports them; a decoded or merged histogram
 * therefore reports exactly what the original did.
 */
export function summarize(h: Histogram): LatencySummary {
  if (h.totalCount === 0) {
    return {
      min: 0,
      mean: 0,
      stddev: 0,
      p50: 0,
      p75: 0,
      p90: 0,
      p99: 0,
      p999: 0,
      p9999: 0,
      max: 0,
    };
  }
  return {
    min: round3(minOf(h) / 1000),
    mean: round3(h.mean / 1000),
    stddev: round3(h.stdDeviation / 1000),
    p50: percentileMs(h, 50),
    p75: percentileMs(h, 75),
    p90: percentileMs(h, 90),
    p99: percentileMs(h, 99),
    p999: percentileMs(h, 99.9),
    p9999: percentileMs(h, 99.99),
    max: round3(maxOf(h) / 1000),
  };
}

/** Each distinct recorded value (µs, HDR-equivalent) with its count, ascending. */
export function recordedValues(
  h: Histogram,
): { value: number; count: number }[] {
  const out: { value: number; count: number }[] = [];
  const it = h.recordedValuesIterator;
  it.reset();
  while (it.hasNext()) {
    const v = it.next();
    out.push({ value: v.valueIteratedTo, count: v.countAtValueIteratedTo });
  }
  return out;
}
