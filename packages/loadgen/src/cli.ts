/**
 * The `meshperf` command: parses arguments, runs the load, prints the
 * result and applies thresholds. Exit codes: 0 ok, 1 a threshold broken,
 * 2 bad input, 3 the run itself failed. Never prints a stack trace.
 *
 * @packageDocumentation
 */
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  MAX_INPUT_FILE_BYTES,
  parseCliArgs,
  UsageError,
  USAGE,
  type CliArgs,
} from './cli/args';
import { checkThresholds } from './cli/thresholds';
import { OptionsError } from './options';
import { ForbiddenTargetError } from './transport/guardTargets';
import { packageRoot } from './paths';
import { ProgressLine, type ProgressStream } from './output/progress';
import { formatText } from './output/text';
import { formatBytes } from './units';
import { runLoad } from './run';
import { runServerCli } from './server/cli';
import { parseResolve, ResolveError } from './transport/resolve';
import type { LoadResult } from './types';
import { renderResult } from './output/render';

/** Where the CLI writes, and what it reads from the environment; injectable for tests. */
export interface CliIo {
  stdout: ProgressStream;
  stderr: ProgressStream;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/**
 * Where relative paths are resolved: INIT_CWD (where the user ran yarn),
 * else the current directory. The root `yarn meshperf` script runs a nested
 * `yarn workspace ...`, which resets INIT_CWD to this package's directory;
 * then the project root (PROJECT_CWD) is what the user meant.
 */
export function baseDirectory(env: NodeJS.ProcessEnv, cwd: string): string {
  const pkgDir = packageRoot();
  if (env.INIT_CWD && resolve(env.INIT_CWD) === pkgDir && env.PROJECT_CWD)
    return env.PROJECT_CWD;
  return env.INIT_CWD || cwd;
}

function readInput(path: string, what: string): Buffer {
  try {
    const size = statSync(path).size;
    if (size > MAX_INPUT_FILE_BYTES)
      throw new UsageError(
        `${what} ${path} is ${formatBytes(
          size,
        )}, over the limit of ${formatBytes(MAX_INPUT_FILE_BYTES)}`,
      );
    return readFileSync(path);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(
      `cannot read ${what} ${path}: ${
        (e as NodeJS.ErrnoException).code ?? (e as Error).message
      }`,
    );
  }
}

/** Runs the CLI and resolves to its exit code. */
export async function runCli(
  argv: string[],
  io: CliIo,
  signal?: AbortSignal,
): Promise<number> {
  const fail = (line: string, code: number) => {
    io.stderr.write(`meshperf: ${line.split('\n')[0]}\n`);
    return code;
  };
  if (argv[0] === 'server') return runServerCli(argv.slice(1), io, signal);
  let args: CliArgs;
  try {
    args = parseCliArgs(argv, baseDirectory(io.env, io.cwd));
    if (args.help) {
      io.stdout.write(USAGE);
      return 0;
    }
    // Pins from the environment first, so a --resolve flag for the same host:port wins.
    const pins = [
      ...(io.env.MESHPERF_RESOLVE ? [io.env.MESHPERF_RESOLVE] : []),
      ...(args.load.resolve ?? []),
    ];
    if (pins.length) {
      try {
        parseResolve(pins);
      } catch (e) {
        if (e instanceof ResolveError) throw new UsageError(e.message);
        throw e;
      }
      args.load.resolve = pins;
    }
    if (args.bodyFile) {
      const body = readInput(args.bodyFile, '--body-file');
      args.load.targets = args.load.targets.map(t => ({ ...t, body }));
    }
    if (args.caFile)
      args.load.tls = {
        ...args.load.tls,
        ca: readInput(args.caFile, '--cacert').toString('utf8'),
      };
  } catch (e) {
    if (e instanceof UsageError) return fail(e.message, 2);
    return fail(`unexpected error: ${(e as Error)?.message ?? String(e)}`, 3);
  }

  const load = args.load;
  const progress = new ProgressLine(
    io.stderr,
    load.count === undefined ? load.durationMs : undefined,
    load.count,
  );
  let result: LoadResult;
  try {
    result = await runLoad({
      ...load,
      signal,
      onProgress: progress.enabled ? p => progress.update(p) : undefined,
    });
  } catch (e) {
    progress.done();
    if (e instanceof OptionsError || e instanceof ForbiddenTargetError)
      return fail(e.message, 2);
    return fail(`run failed: ${(e as Error)?.message ?? String(e)}`, 3);
  }
  progress.done();
  // Say which engine ran it: without --engine, meshperf picks one by target.
  if (!load.grpc)
    result.config = { ...result.config, engine: load.engine ?? 'undici' };

  io.stdout.write(renderResult(result, args.output));
  // Machine-readable stdout stays pure; a person at a terminal still gets the summary.
  if (args.output !== 'text' && io.stderr.isTTY)
    io.stderr.write(formatText(result));

  const broken = checkThresholds(result, args.thresholds);
  for (const line of broken) io.stderr.write(`meshperf: ${line}\n`);
  return broken.length > 0 ? 1 : 0;
}

/** Entry point of the `meshperf` bin: Ctrl-C stops the load and still reports. */
export function main(argv: string[] = process.argv.slice(2)): void {
  const abort = new AbortController();
  let interrupted = false;
  const interrupt = (code: number) => {
    if (interrupted) process.exit(code);
    interrupted = true;
    abort.abort();
  };
  process.on('SIGINT', () => interrupt(130));
  // SIGTERM (what Kubernetes and kube-sim send a pod first) stops a run as Ctrl-C does, so a
  // deleted load-generator pod still prints what it measured; the echo server closes cleanly.
  process.on('SIGTERM', () => interrupt(143));
  runCli(
    argv,
    {
      stdout: process.stdout,
      stderr: process.stderr,
      env: process.env,
      cwd: process.cwd(),
    },
    abort.signal,
  ).then(
    code => process.exit(code),
    e => {
      process.stderr.write(
        `meshperf: unexpected error: ${(e as Error)?.message ?? String(e)}\n`,
      );
      process.exit(3);
    },
  );
}
