/**
 * Parsing and formatting of the units people type on a command line:
 * durations (`10s`, `250ms`, `1m30s`), percentages (`0.1%`) and sizes.
 * Pure functions; they throw {@link UnitError} with a one-line reason.
 *
 * @packageDocumentation
 */

/** A value could not be parsed; the message is one line, fit for a CLI. */
export class UnitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnitError';
  }
}

const DURATION_UNITS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/**
 * Parses a duration such as `10s`, `250ms`, `1.5s`, `1m30s` or `2h` into
 * milliseconds. A bare number is read as seconds, as wrk and fortio do.
 */
export function parseDuration(text: string): number {
  const s = text.trim();
  if (/^\d+(\.\d+)?$/.test(s)) return Number(s) * 1000;
  const part = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/y;
  let total = 0;
  let pos = 0;
  while (pos < s.length) {
    part.lastIndex = pos;
    const m = part.exec(s);
    if (!m)
      throw new UnitError(
        `invalid duration "${text}" (use e.g. 10s, 250ms, 1m30s)`,
      );
    total += Number(m[1]) * DURATION_UNITS[m[2]];
    pos = part.lastIndex;
  }
  if (pos === 0)
    throw new UnitError(
      `invalid duration "${text}" (use e.g. 10s, 250ms, 1m30s)`,
    );
  return total;
}

/**
 * Parses a fraction written as a percentage (`0.1%`) or a plain ratio
 * (`0.001`) into a ratio between 0 and 1.
 */
export function parseRatio(text: string): number {
  const s = text.trim();
  const m = /^(\d+(?:\.\d+)?)(%?)$/.exec(s);
  if (!m)
    throw new UnitError(
      `invalid percentage "${text}" (use e.g. 0.1% or 0.001)`,
    );
  const v = m[2] ? Number(m[1]) / 100 : Number(m[1]);
  if (v > 1) throw new UnitError(`percentage "${text}" is above 100%`);
  return v;
}

/** Parses a positive (or, with `allowZero`, non-negative) integer. */
export function parseCount(
  text: string,
  what: string,
  allowZero = false,
): number {
  const s = text.trim();
  if (!/^\d+$/.test(s))
    throw new UnitError(`invalid ${what} "${text}" (expected a whole number)`);
  const n = Number(s);
  if (!allowZero && n === 0) throw new UnitError(`${what} must be at least 1`);
  return n;
}

/** Parses a non-negative number (integer or decimal). */
export function parseNumber(text: string, what: string): number {
  const s = text.trim();
  if (!/^\d+(\.\d+)?$/.test(s))
    throw new UnitError(`invalid ${what} "${text}" (expected a number)`);
  return Number(s);
}

/** Formats milliseconds for people: `812µs`, `3.25ms`, `1.50s`. */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  if (ms < 1) return `${Math.round(ms * 1000)}µs`;
  if (ms < 10) return `${ms.toFixed(2)}ms`;
  if (ms < 1000) return `${ms.toFixed(1)}ms`;
  return `${(ms / 1000).toFixed(2)}s`;
}

/** Formats a duration given in milliseconds the way it would be typed: `10s`, `250ms`. */
export function formatDuration(ms: number): string {
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

/** Formats a byte count with binary units: `512B`, `1.5KiB`, `3.2MiB`. */
export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${v}B` : `${v.toFixed(1)}${units[i]}`;
}

/** Formats an integer with thousands separators, independent of locale. */
export function formatInt(n: number): string {
  return Math.round(n)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
