/**
 * Command-line parsing for `meshperf`, on node:util's parseArgs. Pure: file
 * paths are resolved but not read, errors are {@link UsageError}s with a
 * one-line message.
 *
 * @packageDocumentation
 */
import { resolve } from 'node:path';
import { parseArgs as nodeParseArgs } from 'node:util';
import { defaultEngine } from '../options';
import type { LoadOptions, Target } from '../types';
import {
  parseCount as parseAnyCount,
  parseDuration as parseAnyDuration,
  parseNumber,
  parseRatio,
  UnitError,
} from '../units';
import type { Thresholds } from './thresholds';

/** Bad command-line input; exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/**
 * Largest `--body-file` or `--cacert` meshperf reads: the body is held in memory and sent with
 * every request, so a file beyond this is a mistake, not a payload.
 */
export const MAX_INPUT_FILE_BYTES = 64 * 1024 * 1024;

/** Longest target URL accepted (common servers refuse request lines beyond 8 KiB). */
const MAX_URL_LENGTH = 8192;

/** Longest duration accepted: Node timers cannot wait longer (about 24.8 days). */
const MAX_DURATION_MS = 2 ** 31 - 1;

/** Output formats of the CLI. */
export type OutputFormat = 'text' | 'json' | 'fortio' | 'smp';
const OUTPUTS: OutputFormat[] = ['text', 'json', 'fortio', 'smp'];

/** A parsed command line. */
export interface CliArgs {
  help: boolean;
  /** Load options, without the body when it comes from a file (see `bodyFile`). */
  load: LoadOptions;
  /** Absolute path of `--body-file`. */
  bodyFile?: string;
  /** Absolute path of `--cacert`. */
  caFile?: string;
  output: OutputFormat;
  thresholds: Thresholds;
}

/** The usage text of `meshperf --help`. */
export const USAGE = `Usage: meshperf <url> [<url>...] [options]

Load:
  -c, --connections <n>     connections (default 10)
  -d, --duration <d>        measured duration, e.g. 10s, 1m (default 10s)
  -n, --requests <n>        stop after n requests instead of a duration
  -R, --rate <r>            constant rate in requests/s, coordinated omission
                            corrected (absent or 0: max throughput)
      --threads <n>         worker threads sharing connections and rate (default 1)
      --warmup <d>          load before measuring, excluded from results
      --timeout <d>         per-request timeout (default 3s, 0 disables)
      --pipelining <n>      requests in flight per connection (HTTP/1.1
                            pipelining, HTTP/2 or gRPC streams)
      --jitter <pct>        uniform jitter of send times in rate mode, e.g. 10%
      --weights <w,w,...>   share of each URL when several are given
Request:
  -m, --method <M>          HTTP method (default GET, POST with a body)
  -H, --header 'k: v'       request header (repeatable)
      --body <text>         request body
      --body-file <file>    request body from a file
      --http2               HTTP/2 (ALPN over TLS, prior knowledge on http://)
      --engine <e>          net (lean HTTP/1.1 on node:net, highest throughput;
                            default for http:// URLs) or undici (HTTP/1.1,
                            HTTP/2 and TLS; default for https://, --http2, gRPC)
      --insecure, -k        do not verify the server certificate
      --cacert <file>       CA bundle (PEM) that signs the server certificate
      --resolve <h:p:a:p>   connect to address a:p for host h:p, keeping the Host
                            header and SNI (repeatable; also MESHPERF_RESOLVE,
                            comma separated)
      --deny-link-local     refuse targets that are or resolve to link-local or
                            cloud metadata addresses (169.254.0.0/16, fe80::/10,
                            fd00:ec2::254, ...); each host is resolved once and
                            pinned (exit 2 when refused)
      --grpc-health[=svc]   gRPC health check (grpc.health.v1.Health/Check)
      --grpc-method </S/M>  other gRPC unary method, request bytes from --body(-file)
Output:
  -o, --output <fmt>        text (default), json, fortio or smp
      --labels <text>       labels stored with the result
Thresholds (exit code 1 when broken):
      --max-p50 <d>  --max-p90 <d>  --max-p99 <d>  --max-p999 <d>
      --max-error-rate <pct>  --min-rps <r>

Exit codes: 0 ok, 1 threshold broken, 2 bad input, 3 run failed.

meshperf server [--port <n>] [--host <h>]   run the echo server (see README)
`;

const OPTIONS = {
  connections: { type: 'string', short: 'c' },
  duration: { type: 'string', short: 'd' },
  requests: { type: 'string', short: 'n' },
  rate: { type: 'string', short: 'R' },
  threads: { type: 'string' },
  warmup: { type: 'string' },
  timeout: { type: 'string' },
  pipelining: { type: 'string' },
  jitter: { type: 'string' },
  weights: { type: 'string' },
  method: { type: 'string', short: 'm' },
  header: { type: 'string', short: 'H', multiple: true },
  body: { type: 'string' },
  'body-file': { type: 'string' },
  http2: { type: 'boolean' },
  engine: { type: 'string' },
  insecure: { type: 'boolean', short: 'k' },
  cacert: { type: 'string' },
  resolve: { type: 'string', multiple: true },
  'deny-link-local': { type: 'boolean' },
  'grpc-health': { type: 'string' },
  'grpc-method': { type: 'string' },
  output: { type: 'string', short: 'o' },
  labels: { type: 'string' },
  'max-p50': { type: 'string' },
  'max-p90': { type: 'string' },
  'max-p99': { type: 'string' },
  'max-p999': { type: 'string' },
  'max-error-rate': { type: 'string' },
  'min-rps': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/**
 * `--grpc-health` takes an optional service name. parseArgs has no optional
 * values, so a bare flag becomes `--grpc-health=` (the whole server) and a
 * name must be attached with `=`; the next word stays the URL.
 */
function preprocess(argv: string[]): string[] {
  return argv.map(a => (a === '--grpc-health' ? '--grpc-health=' : a));
}

function parseHeader(text: string): [string, string] {
  const i = text.indexOf(':');
  if (i <= 0)
    throw new UsageError(`invalid header "${text}" (use 'Name: value')`);
  const name = text.slice(0, i).trim();
  if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name))
    throw new UsageError(`invalid header name "${name}"`);
  return [name, text.slice(i + 1).trim()];
}

/** A duration a timer can wait for. */
function parseDuration(text: string): number {
  const ms = parseAnyDuration(text);
  if (ms > MAX_DURATION_MS)
    throw new UsageError(`duration "${text}" is too long (at most 24 days)`);
  return ms;
}

/** A whole number that fits a JavaScript number exactly. */
function parseCount(text: string, what: string): number {
  const n = parseAnyCount(text, what);
  if (!Number.isSafeInteger(n))
    throw new UsageError(`${what} "${text}" is too large`);
  return n;
}

function wrap<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof UnitError) throw new UsageError(e.message);
    throw e;
  }
}

/**
 * Parses `meshperf` arguments. Relative file paths are resolved against
 * `baseDir` (where the user ran the command).
 */
export function parseCliArgs(argv: string[], baseDir: string): CliArgs {
  let parsed;
  try {
    parsed = nodeParseArgs({
      args: preprocess(argv),
      options: OPTIONS,
      allowPositionals: true,
      strict: true,
    });
  } catch (e) {
    // parseArgs messages carry long hints; keep the first sentence.
    const message = String((e as Error).message)
      .split('\n')[0]
      .replace(/\. To specify .*$/, '');
    // "-d -5s": parseArgs takes a value starting with '-' for a forgotten one.
    const ambiguous = /^Option '(-[^']+)' argument is ambiguous/.exec(message);
    if (ambiguous) {
      const long = /'(--[\w-]+)=-XYZ'/.exec(String((e as Error).message));
      throw new UsageError(
        `${
          ambiguous[1]
        } needs a value; a value starting with '-' must be attached: ${
          long ? long[1] : ambiguous[1]
        }=<value>`,
      );
    }
    throw new UsageError(`${message} (--help for usage)`);
  }
  const v = parsed.values;
  const empty = (): CliArgs => ({
    help: true,
    load: { targets: [] },
    output: 'text',
    thresholds: {},
  });
  if (v.help) return empty();
  const urls = parsed.positionals;
  if (urls.length === 0)
    throw new UsageError(
      'missing target URL (meshperf <url> [options]; --help for usage)',
    );

  const grpc = v['grpc-health'] !== undefined || v['grpc-method'] !== undefined;
  for (const u of urls) {
    if (grpc) {
      if (
        !/^([a-z]+:\/\/)?[^\s/:]+(:\d+)?\/?$/i.test(u) &&
        !/^[a-z]+:\/\/\[[^\]]+\](:\d+)?\/?$/i.test(u)
      ) {
        throw new UsageError(
          `invalid gRPC target "${u}" (use host:port or grpc://host:port)`,
        );
      }
      continue;
    }
    if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(u)) {
      throw new UsageError(
        `invalid URL "${u}" (include the scheme, e.g. http://${u})`,
      );
    }
    if (u.length > MAX_URL_LENGTH)
      throw new UsageError(
        `URL is ${u.length} characters long, over the limit of ${MAX_URL_LENGTH}`,
      );
    let url: URL;
    try {
      url = new URL(u);
    } catch {
      throw new UsageError(`invalid URL "${u}"`);
    }
    // Credentials in a URL end up in results, logs and process listings.
    if (url.username || url.password)
      throw new UsageError(
        `URL ${url.protocol}//***@${url.host}${url.pathname} carries credentials; send them in a header instead (-H 'Authorization: ...')`,
      );
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new UsageError(
        `unsupported URL scheme "${url.protocol}" in ${u} (use http:// or https://)`,
      );
    }
  }

  return wrap(() => {
    if (v.duration !== undefined && v.requests !== undefined) {
      throw new UsageError(
        'use either --duration (-d) or --requests (-n), not both',
      );
    }
    if (v.body !== undefined && v['body-file'] !== undefined) {
      throw new UsageError('use either --body or --body-file, not both');
    }
    // Without --engine, the fastest engine that speaks to the targets: net for
    // plain http:// HTTP/1.1, undici for TLS, HTTP/2 and gRPC.
    const engine =
      v.engine ??
      defaultEngine({
        targets: urls.map(url => ({ url })),
        http2: !!v.http2,
        ...(grpc ? { grpc: {} } : {}),
      });
    if (engine !== 'undici' && engine !== 'net')
      throw new UsageError(`unknown engine "${engine}" (use undici or net)`);
    if (engine === 'net') {
      let why: string | undefined;
      if (grpc) why = 'gRPC';
      else if (v.http2) why = 'HTTP/2';
      else if (urls.some(u => new URL(u).protocol !== 'http:'))
        why = 'https:// (TLS)';
      if (why)
        throw new UsageError(
          `--engine net speaks plain HTTP/1.1 only, not ${why} (use --engine undici)`,
        );
    }
    const output = (v.output ?? 'text') as OutputFormat;
    if (!OUTPUTS.includes(output))
      throw new UsageError(
        `unknown output "${v.output}" (use text, json, fortio or smp)`,
      );

    const headers: Record<string, string> = {};
    for (const h of v.header ?? []) {
      const [k, val] = parseHeader(h);
      headers[k] = val;
    }
    let weights: number[] = urls.map(() => 1);
    if (v.weights !== undefined) {
      weights = v.weights.split(',').map(w => parseNumber(w, 'weight'));
      if (weights.length !== urls.length) {
        throw new UsageError(
          `--weights has ${weights.length} value(s) for ${urls.length} URL(s)`,
        );
      }
      if (!weights.some(w => w > 0))
        throw new UsageError('--weights must not all be zero');
    }
    const method = v.method?.toUpperCase();
    if (method !== undefined && !/^[A-Z]+$/.test(method))
      throw new UsageError(`invalid method "${v.method}"`);
    const targets: Target[] = urls.map((url, i) => ({
      url,
      ...(method ? { method } : {}),
      ...(Object.keys(headers).length ? { headers } : {}),
      ...(v.body !== undefined ? { body: v.body } : {}),
      weight: weights[i],
    }));

    const rate = v.rate !== undefined ? parseNumber(v.rate, 'rate') : 0;
    const load: LoadOptions = {
      targets,
      connections:
        v.connections !== undefined
          ? parseCount(v.connections, 'connections')
          : 10,
      rate,
      ...(v.requests !== undefined
        ? { count: parseCount(v.requests, 'request count') }
        : { durationMs: parseDuration(v.duration ?? '10s') }),
      threads: v.threads !== undefined ? parseCount(v.threads, 'threads') : 1,
      warmupMs: v.warmup !== undefined ? parseDuration(v.warmup) : 0,
      ...(v.timeout !== undefined
        ? { timeoutMs: parseDuration(v.timeout) }
        : {}),
      pipelining:
        v.pipelining !== undefined ? parseCount(v.pipelining, 'pipelining') : 1,
      jitter: v.jitter !== undefined ? parseRatio(v.jitter) : 0,
      http2: !!v.http2,
      // gRPC runs on @grpc/grpc-js whatever the HTTP engine.
      ...(grpc ? {} : { engine }),
      ...(v.insecure ? { tls: { insecure: true } } : {}),
      ...(grpc
        ? {
            grpc: {
              ...(v['grpc-method'] !== undefined
                ? { method: v['grpc-method'] }
                : {}),
              ...(v['grpc-health'] ? { service: v['grpc-health'] } : {}),
            },
          }
        : {}),
      ...(v.labels ? { labels: v.labels } : {}),
      ...(v.resolve?.length ? { resolve: v.resolve } : {}),
      ...(v['deny-link-local'] ? { denyLinkLocal: true } : {}),
    };
    if (load.durationMs !== undefined && load.durationMs <= 0)
      throw new UsageError('duration must be positive');
    if ((load.jitter ?? 0) > 0.5)
      throw new UsageError('jitter must be at most 50%');
    if (load.jitter && !rate)
      throw new UsageError('--jitter needs a constant rate (-R)');
    if (
      grpc &&
      v['grpc-method'] !== undefined &&
      !/^\/[^/]+\/[^/]+$/.test(v['grpc-method'])
    ) {
      throw new UsageError(
        `invalid gRPC method "${v['grpc-method']}" (use /package.Service/Method)`,
      );
    }

    const thresholds: Thresholds = {};
    if (v['max-p50'] !== undefined)
      thresholds.maxP50Ms = parseDuration(v['max-p50']);
    if (v['max-p90'] !== undefined)
      thresholds.maxP90Ms = parseDuration(v['max-p90']);
    if (v['max-p99'] !== undefined)
      thresholds.maxP99Ms = parseDuration(v['max-p99']);
    if (v['max-p999'] !== undefined)
      thresholds.maxP999Ms = parseDuration(v['max-p999']);
    if (v['max-error-rate'] !== undefined)
      thresholds.maxErrorRate = parseRatio(v['max-error-rate']);
    if (v['min-rps'] !== undefined)
      thresholds.minRps = parseNumber(v['min-rps'], 'minimum rate');

    return {
      help: false,
      load,
      ...(v['body-file'] !== undefined
        ? { bodyFile: resolve(baseDir, v['body-file']) }
        : {}),
      ...(v.cacert !== undefined ? { caFile: resolve(baseDir, v.cacert) } : {}),
      output,
      thresholds,
    };
  });
}
