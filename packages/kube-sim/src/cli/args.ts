import { isAbsolute, resolve } from 'node:path';
import { LocalImages, parseLocalImageFlag } from '../runtime/local-images';
import { FaultSpecError, parseFaultSpec } from '../faults/spec';

/** Parsed command line of `kube-sim`. */
export interface CliArgs {
  port: number;
  host: string;
  kubeconfig: string;
  seed: string[];
  state?: string;
  token?: string;
  serverVersion?: string;
  /** Serve plain http instead of https (the kubeconfig then carries the impersonation workaround). */
  plainHttp: boolean;
  verbose: boolean;
  /** `--local-image` (repeatable): images whose pods run as local processes. */
  localImages: LocalImages;
  /** `--proxy-latency` (repeatable): ms simulated proxies of an image add per request. */
  proxyLatencyMs: Record<string, number>;
  /** `--faults` (repeatable; rules joined with `;`): faults to inject, checked here. */
  faults?: string;
}

export class UsageError extends Error {}

/** `--help`: the full text goes to stdout and the command exits 0. */
export class HelpRequested extends UsageError {}

export const USAGE =
  'usage: kube-sim --port <n|0> --kubeconfig <file> [--seed <path>]... [--state <file>] [--host <h>] [--token <t>] [--server-version vX.Y.Z] [--plain-http] [--local-image <image>=<command...>]... [--proxy-latency <image>=<ms>]... [--faults <spec>]... [--verbose]';

/** What `--help` prints: the usage line and the fault spec language. */
export const HELP = `${USAGE}

--faults <spec>  inject API server faults (repeatable). A spec is rules separated by ';', each
  rule key=value items separated by ',':
    faults   latency=200ms | latency=50ms-300ms     delay before serving
             error500=P  error503=P[:retryAfter=S]  error504=P[:retryAfter=S]
             conflict409=P (update/patch/delete)    invalid422=P (create/update/patch)
             throttle429=P[:retryAfter=S] (default 1 s)   forbidden403=P
             cut=P[:at=request|headers|body]        connection cut (default: mid-body,
                                                    after the request was served)
             dropWatch=30s[:mode=reset|end]         watches end after that long
    scope    verbs=patch,delete  resources=deployments.apps,pods/log  namespaces=a,b
             names=x,y  paths=/apis/apps           (a bare word continues the list)
    limits   skip=N (let N matching requests through first)  count=N (act on N, then stop)
    spec     seed=42 (repeatable choices)  restart=60s[:down=1s] (API server restarts)
  P is a chance: 0.1 or 10%; the terminal faults of a rule add up to at most 1.
  e.g. --faults 'throttle429=0.1:retryAfter=1,error500=0.05,verbs=patch;dropWatch=30s;seed=42'`;

/**
 * Parses arguments (`--flag value` or `--flag=value`). Relative paths are
 * resolved against `baseDir` (where the user ran the command).
 */
export function parseArgs(argv: string[], baseDir: string): CliArgs {
  const out: Partial<CliArgs> & {
    seed: string[];
    verbose: boolean;
    plainHttp: boolean;
    localImages: LocalImages;
    proxyLatencyMs: Record<string, number>;
  } = {
    seed: [],
    verbose: false,
    plainHttp: false,
    localImages: {},
    proxyLatencyMs: {},
  };
  const path = (p: string) => (isAbsolute(p) ? p : resolve(baseDir, p));
  for (let i = 0; i < argv.length; i++) {
    let arg = argv[i];
    let value: string | undefined;
    const eq = arg.indexOf('=');
    if (arg.startsWith('--') && eq > 0) {
      value = arg.slice(eq + 1);
      arg = arg.slice(0, eq);
    }
    const need = () => {
      if (value !== undefined) return value;
      const v = argv[++i];
      if (v === undefined || v.startsWith('--'))
        throw new UsageError(`flag needs an argument: ${arg}`);
      return v;
    };
    switch (arg) {
      case '--port': {
        const v = need();
        if (!/^\d+$/.test(v) || Number(v) > 65535)
          throw new UsageError(
            `invalid --port ${JSON.stringify(
              v,
            )}: want a number from 0 to 65535`,
          );
        out.port = Number(v);
        break;
      }
      case '--host':
        out.host = need();
        break;
      case '--kubeconfig':
        out.kubeconfig = path(need());
        break;
      case '--seed':
        out.seed.push(path(need()));
        break;
      case '--state':
        out.state = path(need());
        break;
      case '--token':
        out.token = need();
        break;
      case '--server-version': {
        const v = need();
        if (!/^v\d+\.\d+\.\d+/.test(v))
          throw new UsageError(
            `invalid --server-version ${JSON.stringify(v)}: want vX.Y.Z`,
          );
        out.serverVersion = v;
        break;
      }
      case '--plain-http':
        out.plainHttp = true;
        break;
      case '--local-image': {
        try {
          const [image, config] = parseLocalImageFlag(need());
          out.localImages[image] = config;
        } catch (e) {
          if (e instanceof UsageError) throw e;
          throw new UsageError((e as Error).message);
        }
        break;
      }
      case '--proxy-latency': {
        // The image reference may hold ':' (its tag) but not '=': split at the last '='.
        const v = need();
        const at = v.lastIndexOf('=');
        const ms = /^(\d+)(ms)?$/.exec(v.slice(at + 1));
        if (at <= 0 || !ms)
          throw new UsageError(
            `invalid --proxy-latency ${JSON.stringify(
              v,
            )}: want <image>=<milliseconds>, e.g. proxyv2:1.30.3=200ms`,
          );
        out.proxyLatencyMs[v.slice(0, at)] = Number(ms[1]);
        break;
      }
      case '--faults': {
        const v = need();
        try {
          parseFaultSpec(v);
        } catch (e) {
          if (e instanceof FaultSpecError)
            throw new UsageError(`invalid --faults: ${e.message}`);
          throw e;
        }
        out.faults = out.faults ? `${out.faults};${v}` : v;
        break;
      }
      case '--verbose':
      case '-v':
        out.verbose = true;
        break;
      case '--help':
      case '-h':
        throw new HelpRequested(HELP);
      default:
        throw new UsageError(`unknown flag: ${arg}`);
    }
  }
  if (out.port === undefined)
    throw new UsageError('missing required flag: --port');
  if (!out.kubeconfig)
    throw new UsageError('missing required flag: --kubeconfig');
  return { host: '127.0.0.1', ...out } as CliArgs;
}
