import {
  ForbiddenTargetError,
  formatText,
  OptionsError,
  renderResult,
  runLoad,
  type LoadOptions,
  type LoadResult,
  type Thresholds,
} from '@meshstage/loadgen';
import fs from 'node:fs/promises';
import path from 'node:path';
import { decodeFileText, formatSize } from '../fileText';
import { oneLine } from '../oneLine';
import { parseBenchArgs, type BenchArgs } from './args';
import { flagLoad } from './flagLoad';
import { BenchInputError } from './inputError';
import { parseProfile } from './profile';
import { evaluateGate, gateThresholds } from './thresholds';
import { benchUsage } from './usage';

/** What `meshstage bench` writes to and reads from; injected so tests run it in-process. */
export interface BenchIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Directory relative paths are resolved against and printed relative to. */
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Aborting stops the load; the result of what completed is still reported. */
  signal?: AbortSignal;
}

interface BenchPlan {
  load: LoadOptions;
  thresholds: Thresholds;
}

/**
 * Largest profile file read: the backend takes profiles of at most 1 MB
 * (`POST /benchmark/profiles`), so a larger file could not be one.
 */
const MAX_PROFILE_BYTES = 1024 * 1024;

/** A path as messages show it: relative to the user's directory when inside it. */
function shown(file: string, cwd: string): string {
  const relative = path.relative(cwd, file);
  if (!relative || relative.startsWith('..') || path.isAbsolute(relative))
    return file;
  return relative.split(path.sep).join('/');
}

/** The load and thresholds of a run, from its flags or its profile file. */
async function plan(args: BenchArgs, io: BenchIo): Promise<BenchPlan> {
  const source = args.source;
  if (source.kind === 'flags') {
    return {
      load: await flagLoad(source.args, io.env),
      thresholds: args.thresholds,
    };
  }
  const name = shown(source.file, io.cwd);
  let bytes: Buffer;
  try {
    const { size } = await fs.stat(source.file);
    if (size > MAX_PROFILE_BYTES)
      throw new BenchInputError(
        `profile ${name} is ${formatSize(size)}, over the limit of ${formatSize(
          MAX_PROFILE_BYTES,
        )}`,
      );
    bytes = await fs.readFile(source.file);
  } catch (e) {
    if (e instanceof BenchInputError) throw e;
    throw new BenchInputError(
      `cannot read profile ${name}: ${
        (e as NodeJS.ErrnoException).code ?? (e as Error).message
      }`,
    );
  }
  const { text, problem } = decodeFileText(bytes);
  if (problem)
    throw new BenchInputError(
      `${name}:${problem.line}:${problem.column}: not a valid profile: ${problem.reason}`,
    );
  const profile = parseProfile(text, name, source.labels);
  return {
    load: profile.load,
    thresholds: gateThresholds(profile.thresholds, args.thresholds),
  };
}

/**
 * Refuses an output file that could not be written (no such directory, or a directory in its
 * place) before the load runs, not after.
 */
async function checkOutputFile(file: string, cwd: string): Promise<void> {
  const existing = await fs.stat(file).catch(() => undefined);
  if (existing?.isDirectory())
    throw new BenchInputError(
      `cannot write --output-file ${shown(file, cwd)}: it is a directory`,
    );
  const dir = path.dirname(file);
  const stat = await fs.stat(dir).catch(() => undefined);
  if (!stat?.isDirectory()) {
    throw new BenchInputError(
      `cannot write --output-file ${shown(file, cwd)}: no directory ${shown(
        dir,
        cwd,
      )}`,
    );
  }
}

/** Writes a file whole or not at all: a temporary file beside it, then a rename. */
async function writeWhole(file: string, text: string): Promise<void> {
  const tmp = path.join(
    path.dirname(file),
    `.${path.basename(file)}.${process.pid}.tmp`,
  );
  try {
    await fs.writeFile(tmp, text);
    await fs.rename(tmp, file);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw e;
  }
}

/**
 * `meshstage bench`: runs the load a command line or a profile file describes, writes the
 * result (stdout or `--output-file`), holds it to the thresholds and returns the exit code:
 * 0 ok, 1 a threshold broken, 2 bad usage or input, 3 the run itself failed, as `meshperf`.
 * Every failure is one line on stderr, never a stack trace.
 */
export async function runBench(argv: string[], io: BenchIo): Promise<number> {
  const fail = (message: string, code: number) => {
    io.stderr(`meshstage: ${oneLine(message)}\n`);
    return code;
  };
  let args: BenchArgs;
  let run: BenchPlan;
  try {
    const parsed = parseBenchArgs(argv, io.cwd);
    if (parsed === 'help') {
      io.stdout(benchUsage());
      return 0;
    }
    args = parsed;
    if (args.outputFile) await checkOutputFile(args.outputFile, io.cwd);
    run = await plan(args, io);
  } catch (e) {
    if (e instanceof BenchInputError) return fail(e.message, 2);
    return fail(`unexpected error: ${(e as Error)?.message ?? String(e)}`, 3);
  }

  let result: LoadResult;
  try {
    result = await runLoad({ ...run.load, signal: io.signal });
  } catch (e) {
    // Options the engine refuses (a bad URL in a profile, a forbidden target) are bad input.
    if (e instanceof OptionsError || e instanceof ForbiddenTargetError)
      return fail(e.message, 2);
    return fail(`run failed: ${(e as Error)?.message ?? String(e)}`, 3);
  }
  // Name the engine that ran, as meshperf does: flags runs pick one by target.
  if (!run.load.grpc)
    result.config = { ...result.config, engine: run.load.engine ?? 'undici' };

  const document = renderResult(result, args.output);
  if (args.outputFile) {
    try {
      await writeWhole(args.outputFile, document);
    } catch (e) {
      return fail(
        `cannot write --output-file ${shown(args.outputFile, io.cwd)}: ${
          (e as NodeJS.ErrnoException).code ?? (e as Error).message
        }`,
        3,
      );
    }
    // The document went to the file; the job log gets what a person reads.
    io.stdout(formatText(result));
  } else {
    io.stdout(document);
  }

  const verdict = evaluateGate(result, run.thresholds);
  for (const line of verdict.broken) io.stderr(`meshstage: ${line}\n`);
  return verdict.exitCode;
}
