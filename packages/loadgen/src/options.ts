/**
 * Validation and defaults for {@link LoadOptions}, and how a run is split
 * among worker threads. Pure.
 *
 * @packageDocumentation
 */
import type {
  GrpcOptions,
  HttpEngine,
  LoadOptions,
  Protocol,
  RunConfigSummary,
  Target,
  TlsOptions,
} from './types';
import { HEALTH_CHECK_METHOD } from './transport/grpcHealth';
import {
  parseResolve,
  ResolveError,
  type ResolveMap,
} from './transport/resolve';

/** Load options that do not make sense; the message is one line. */
export class OptionsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OptionsError';
  }
}

/** Options with every default applied; plain data, so it can be sent to a worker thread. */
export interface NormalizedOptions {
  targets: (Target & { method: string; weight: number })[];
  protocol: Protocol;
  connections: number;
  pipelining: number;
  rate: number;
  durationMs?: number;
  count?: number;
  warmupMs: number;
  timeoutMs: number;
  jitter: number;
  threads: number;
  http2: boolean;
  engine: HttpEngine;
  tls?: TlsOptions;
  grpc?: GrpcOptions;
  labels?: string;
  resolve?: ResolveMap;
  denyLinkLocal?: boolean;
}

/** Default measured duration when neither a duration nor a count is given. */
export const DEFAULT_DURATION_MS = 10_000;
/** Default per-request timeout (fortio's). */
export const DEFAULT_TIMEOUT_MS = 3_000;

function check(cond: boolean, message: string): void {
  if (!cond) throw new OptionsError(message);
}

const isInt = (v: number) => Number.isInteger(v);

// RFC 9110 token characters, for header names.
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * What is wrong with a request header, if anything. CR, LF and NUL in a value
 * would let it smuggle headers or a second request onto the connection.
 */
export function headerProblem(
  name: string,
  value: unknown,
): string | undefined {
  if (!TOKEN.test(name)) return 'the name is not an HTTP token';
  if (typeof value !== 'string') return 'the value is not a string';
  if (/[\r\n\0]/.test(value))
    return 'the value contains a line break or NUL (CR, LF and NUL are refused)';
  return undefined;
}

/** A string with its control characters escaped, for one-line messages. */
function printable(text: string): string {
  return JSON.stringify(text).slice(1, -1);
}

/**
 * The fastest engine that can run these options, for callers that let the
 * engine follow the target (meshperf without `--engine`): `net` for plain
 * `http://` HTTP/1.1, `undici` for anything net does not speak (TLS, HTTP/2,
 * gRPC). Unparseable URLs get `undici`, whose validation reports them.
 */
export function defaultEngine(
  o: Pick<LoadOptions, 'targets' | 'http2' | 'grpc'>,
): HttpEngine {
  if (o.grpc || o.http2) return 'undici';
  const plain = o.targets.every(t => {
    try {
      return new URL(t.url).protocol === 'http:';
    } catch {
      return false;
    }
  });
  return plain && o.targets.length > 0 ? 'net' : 'undici';
}

/** Applies defaults and rejects impossible settings. */
export function normalizeOptions(o: LoadOptions): NormalizedOptions {
  check(
    Array.isArray(o.targets) && o.targets.length > 0,
    'at least one target URL is required',
  );
  const grpc = o.grpc;
  const targets = o.targets.map(t => {
    check(typeof t.url === 'string' && t.url.length > 0, 'target URL is empty');
    if (!grpc) {
      let url: URL;
      try {
        url = new URL(t.url);
      } catch {
        throw new OptionsError(`invalid URL "${t.url}"`);
      }
      check(
        url.protocol === 'http:' || url.protocol === 'https:',
        `unsupported URL scheme "${url.protocol}" in ${t.url} (use http:// or https://)`,
      );
    }
    const weight = t.weight ?? 1;
    check(
      Number.isFinite(weight) && weight >= 0,
      `invalid weight ${weight} for ${t.url}`,
    );
    const method = (
      t.method ?? (t.body !== undefined ? 'POST' : 'GET')
    ).toUpperCase();
    check(/^[A-Z]+$/.test(method), `invalid method "${t.method}"`);
    for (const [name, value] of Object.entries(t.headers ?? {})) {
      const why = headerProblem(name, value);
      check(!why, `invalid header "${printable(name)}": ${why}`);
    }
    return { ...t, method, weight };
  });
  check(
    targets.some(t => t.weight > 0),
    'at least one target needs a weight above zero',
  );
  const connections = o.connections ?? 10;
  check(
    isInt(connections) && connections >= 1,
    `connections must be a whole number of at least 1 (got ${connections})`,
  );
  const pipelining = o.pipelining ?? 1;
  check(
    isInt(pipelining) && pipelining >= 1,
    `pipelining must be a whole number of at least 1 (got ${pipelining})`,
  );
  const rate = o.rate ?? 0;
  check(
    Number.isFinite(rate) && rate >= 0,
    `rate must be 0 (max) or positive (got ${rate})`,
  );
  if (o.count !== undefined)
    check(
      isInt(o.count) && o.count >= 1,
      `count must be a whole number of at least 1 (got ${o.count})`,
    );
  if (o.durationMs !== undefined)
    check(
      Number.isFinite(o.durationMs) && o.durationMs > 0,
      'duration must be positive',
    );
  const warmupMs = o.warmupMs ?? 0;
  check(
    Number.isFinite(warmupMs) && warmupMs >= 0,
    'warmup must not be negative',
  );
  const timeoutMs = o.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  check(
    Number.isFinite(timeoutMs) && timeoutMs >= 0,
    'timeout must not be negative',
  );
  const jitter = o.jitter ?? 0;
  check(
    Number.isFinite(jitter) && jitter >= 0 && jitter <= 0.5,
    'jitter must be between 0% and 50%',
  );
  const threads = Math.min(o.threads ?? 1, connections);
  check(
    isInt(threads) && threads >= 1,
    `threads must be a whole number of at least 1 (got ${o.threads})`,
  );
  const http2 = !!o.http2;
  let protocol: Protocol = http2 ? 'h2' : 'http/1.1';
  if (grpc) protocol = 'grpc';
  if (grpc && (grpc.method ?? HEALTH_CHECK_METHOD) !== HEALTH_CHECK_METHOD) {
    check(
      /^\/[^/]+\/[^/]+$/.test(grpc.method!),
      `invalid gRPC method "${grpc.method}" (use /package.Service/Method)`,
    );
  }
  const engine = o.engine ?? 'undici';
  check(
    engine === 'undici' || engine === 'net',
    `unknown engine "${engine}" (use undici or net)`,
  );
  if (engine === 'net') {
    // The net engine is a plain-text HTTP/1.1 client and nothing more.
    check(
      !grpc,
      'the net engine speaks HTTP/1.1 only, not gRPC (use --engine undici)',
    );
    check(
      !http2,
      'the net engine speaks HTTP/1.1 only, not HTTP/2 (use --engine undici)',
    );
    const tls = targets.find(t => new URL(t.url).protocol !== 'http:');
    check(
      !tls,
      `the net engine speaks plain http:// only, not TLS (${tls?.url}; use --engine undici)`,
    );
  }
  let resolve: ResolveMap | undefined;
  if (o.resolve?.length) {
    try {
      resolve = parseResolve(o.resolve);
    } catch (e) {
      if (e instanceof ResolveError) throw new OptionsError(e.message);
      throw e;
    }
  }
  return {
    targets,
    protocol,
    connections,
    pipelining,
    rate,
    ...(o.count !== undefined
      ? { count: o.count }
      : { durationMs: o.durationMs ?? DEFAULT_DURATION_MS }),
    warmupMs,
    timeoutMs,
    jitter,
    threads,
    http2,
    engine,
    ...(o.tls ? { tls: o.tls } : {}),
    ...(grpc ? { grpc } : {}),
    ...(o.labels ? { labels: o.labels } : {}),
    ...(resolve ? { resolve } : {}),
    ...(o.denyLinkLocal ? { denyLinkLocal: true } : {}),
  };
}

/** One thread's part of a run. */
export interface Share {
  index: number;
  connections: number;
  /** Global index of the thread's first lane (lanes are connections x pipelining). */
  laneOffset: number;
  totalLanes: number;
  /** Measured requests this thread issues (count runs). */
  count?: number;
}

/**
 * Splits connections (and a request count) among threads as evenly as
 * possible; the rate follows the lanes, since every lane sends at the same pace.
 */
export function splitShares(n: NormalizedOptions): Share[] {
  const totalLanes = n.connections * n.pipelining;
  const shares: Share[] = [];
  let laneOffset = 0;
  let countLeft = n.count ?? 0;
  for (let i = 0; i < n.threads; i++) {
    const connections =
      Math.floor(n.connections / n.threads) +
      (i < n.connections % n.threads ? 1 : 0);
    const lanes = connections * n.pipelining;
    const share: Share = { index: i, connections, laneOffset, totalLanes };
    if (n.count !== undefined) {
      const c =
        i === n.threads - 1
          ? countLeft
          : Math.round((n.count * lanes) / totalLanes);
      share.count = Math.min(c, countLeft);
      countLeft -= share.count;
    }
    shares.push(share);
    laneOffset += lanes;
  }
  return shares;
}

/** The request side of a result, for one share of the run. */
export function configSummary(
  n: NormalizedOptions,
  share?: Share,
): RunConfigSummary {
  const lanes = share
    ? share.connections * n.pipelining
    : n.connections * n.pipelining;
  const totalLanes = n.connections * n.pipelining;
  return {
    targets: n.targets.map(t => ({
      url: t.url,
      method: n.grpc ? n.grpc.method ?? HEALTH_CHECK_METHOD : t.method,
      weight: t.weight,
    })),
    protocol: n.protocol,
    mode: n.rate > 0 ? 'rate' : 'max',
    requestedRps: (n.rate * lanes) / totalLanes,
    connections: share ? share.connections : n.connections,
    pipelining: n.pipelining,
    threads: share ? 1 : n.threads,
    ...(n.durationMs !== undefined
      ? { requestedDurationMs: n.durationMs }
      : {}),
    ...(n.count !== undefined
      ? { requestedCount: share?.count ?? n.count }
      : {}),
    warmupMs: n.warmupMs,
    timeoutMs: n.timeoutMs,
    jitter: n.jitter,
  };
}
