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
  parseCount,
  parseDuration,
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

/**
 * The threshold options, in node:util parseArgs form: shared with commands that run meshperf's
 * load and gate on the same thresholds (`meshstage bench`).
 */
export const THRESHOLD_OPTIONS = {
  'max-p50': { type: 'string' },
  'max-p90': { type: 'string' },
  'max-p99': { type: 'string' },
  'max-p999': { type: 'string' },
  'max-error-rate': { type: 'string' },
  'min-rps': { type: 'string' },
} as const;

/** The values of {@link THRESHOLD_OPTIONS} as parseArgs returns them. */
export type ThresholdFlags = {
  [K in keyof typeof THRESHOLD_OPTIONS]?: string;
};

/** Reads threshold flags; a bad value is a {@link UsageError} naming it. */
export function parseThresholdFlags(v: ThresholdFlags): Thresholds {
  return wrap(() => {
    const thresholds = parseThresholdFlags(v);

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
