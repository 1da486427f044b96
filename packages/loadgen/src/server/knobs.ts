/**
 * fortio-style behaviour knobs of the echo server, read from the query
 * string: `?delay=50ms` (or `250ms:10,5ms:60`: each value with its
 * probability in percent), `?status=503` (or `503:20,429:5`), `?close=true`.
 * Pure: the caller passes the random number.
 *
 * @packageDocumentation
 */
import { parseDuration, UnitError } from '../units';

/** The longest delay a request may ask for (a knob, not a way to park connections). */
export const MAX_DELAY_MS = 60_000;

/** A value chosen with a probability (percent, 0..100). */
interface Choice<T> {
  value: T;
  percent: number;
}

/** What a request asked the echo server to do. */
export interface EchoKnobs {
  delay: Choice<number>[];
  status: Choice<number>[];
  /** Close the connection after the response. */
  close: boolean;
}

/** A knob that cannot be read; the server answers 400 with this message. */
export class KnobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KnobError';
  }
}

function choices<T>(
  name: string,
  text: string,
  parse: (v: string) => T,
): Choice<T>[] {
  const out: Choice<T>[] = [];
  let total = 0;
  for (const part of text.split(',')) {
    if (!part.trim()) continue;
    const i = part.lastIndexOf(':');
    const valueText = i < 0 ? part : part.slice(0, i);
    const percent = i < 0 ? 100 : Number(part.slice(i + 1));
    if (!Number.isFinite(percent) || percent < 0 || percent > 100)
      throw new KnobError(
        `invalid ${name} "${part}": probability must be 0 to 100`,
      );
    total += percent;
    out.push({ value: parse(valueText.trim()), percent });
  }
  if (total > 100)
    throw new KnobError(`invalid ${name}: probabilities add up to ${total}%`);
  return out;
}

function parseDelay(text: string): number {
  let ms: number;
  try {
    ms = parseDuration(text);
  } catch (e) {
    if (e instanceof UnitError) throw new KnobError(`invalid delay: ${text}`);
    throw e;
  }
  if (ms > MAX_DELAY_MS)
    throw new KnobError(
      `delay ${text} is above the ${MAX_DELAY_MS / 1000}s limit`,
    );
  return ms;
}

function parseStatus(text: string): number {
  if (!/^\d{3}$/.test(text) || Number(text) < 100 || Number(text) > 599)
    throw new KnobError(`invalid status "${text}" (use 100 to 599)`);
  return Number(text);
}

/** Reads the knobs of a request's query string. */
export function parseKnobs(query: URLSearchParams): EchoKnobs {
  return {
    delay: query.getAll('delay').flatMap(v => choices('delay', v, parseDelay)),
    status: query
      .getAll('status')
      .flatMap(v => choices('status', v, parseStatus)),
    close: query.get('close') === 'true' || query.get('close') === '1',
  };
}

/** Picks a value: `random` in [0, 1) walks the cumulative probabilities; none hit gives `fallback`. */
export function pick<T>(list: Choice<T>[], random: number, fallback: T): T {
  let cumulative = 0;
  const r = random * 100;
  for (const c of list) {
    cumulative += c.percent;
    if (r < cumulative) return c.value;
  }
  return fallback;
}
