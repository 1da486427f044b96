import {
  MeshperfUsageError,
  parseMeshperfArgs,
  type MeshperfArgs,
  type OutputFormat,
  type Thresholds,
} from '@meshstage/loadgen';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { BenchInputError } from './inputError';

/** Where the load of a `meshstage bench` run comes from. */
export type BenchSource =
  /** meshperf's flags: target URLs and load options on the command line. */
  | { kind: 'flags'; args: MeshperfArgs }
  /** A performance profile file (absolute path), as the backend stores profiles. */
  | { kind: 'profile'; file: string; labels?: string };

/** A parsed `meshstage bench` command line. */
export interface BenchArgs {
  source: BenchSource;
  /** Thresholds given as flags; with a profile, each overrides the profile's own. */
  thresholds: Thresholds;
  output: OutputFormat;
  /** Absolute path the result document goes to instead of stdout. */
  outputFile?: string;
}

/**
 * The flags a profile run accepts besides its own: the profile sets the load, so only what to
 * check and how to report may be added.
 */
const PROFILE_RUN_OPTIONS = {
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
 * meshperf's parser wants a target; in a profile run the targets come from the file (read
 * later), so this reserved name (RFC 2606) stands in and the load it yields is discarded.
 */
const PROFILE_PLACEHOLDER_URL = 'http://profile.invalid/';

/** Takes `--profile` and `--output-file` (meshstage's own) out of meshperf's arguments. */
function takeOwnOptions(argv: string[]): {
  profile?: string;
  outputFile?: string;
  rest: string[];
} {
  const own: Record<string, string> = {};
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const name = ['--profile', '--output-file'].find(
      n => arg === n || arg.startsWith(`${n}=`),
    );
    if (!name) {
      rest.push(arg);
      continue;
    }
    const value = (
      arg.length > name.length ? arg.slice(name.length + 1) : argv[++i] ?? ''
    ).trim();
    if (!value || value.startsWith('-'))
      throw new BenchInputError(`${name} needs a file`);
    own[name] = value;
  }
  return {
    profile: own['--profile'],
    outputFile: own['--output-file'],
    rest,
  };
}

/** Whether `-o`/`--output` appears among the arguments. */
function outputGiven(argv: string[]): boolean {
  return argv.some(
    a =>
      a === '--output' ||
      a.startsWith('--output=') ||
      a === '-o' ||
      /^-o./.test(a),
  );
}

/** meshperf's parser, its errors as ours and its missing-target message in meshstage's words. */
function meshperf(argv: string[], baseDir: string): MeshperfArgs {
  try {
    return parseMeshperfArgs(argv, baseDir);
  } catch (e) {
    if (!(e instanceof MeshperfUsageError)) throw e;
    if (e.message.startsWith('missing target URL')) {
      throw new BenchInputError(
        'nothing to run: give a target URL or --profile <file> (meshstage bench --help)',
      );
    }
    throw new BenchInputError(e.message);
  }
}

/** Checks a profile run's extra flags: no target URLs, no load options. */
function checkProfileRunFlags(argv: string[]): void {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: PROFILE_RUN_OPTIONS,
      allowPositionals: true,
      strict: true,
    });
  } catch (e) {
    const first = String((e as Error).message)
      .split('\n')[0]
      .replace(/\. To specify .*$/, '');
    if (/^Unknown option/.test(first)) {
      throw new BenchInputError(
        `${first}: with --profile the profile sets the load; add only thresholds, --output, --output-file or --labels`,
      );
    }
    throw new BenchInputError(`${first} (--help for usage)`);
  }
  if (parsed.positionals.length > 0) {
    throw new BenchInputError(
      `give either target URLs or --profile, not both (got "${parsed.positionals[0]}")`,
    );
  }
}

/**
 * Parses `meshstage bench` arguments: meshperf's flags (same names, meanings and checks, by
 * meshperf's own parser), or `--profile <file>` with thresholds and output flags; and
 * `--output-file <file>`. Relative paths are resolved against `baseDir`. Pure: files are
 * named, not read.
 *
 * @returns the arguments, or `'help'` for `-h`/`--help`
 * @throws BenchInputError with a one-line reason
 */
export function parseBenchArgs(
  argv: string[],
  baseDir: string,
): BenchArgs | 'help' {
  const { profile, outputFile, rest } = takeOwnOptions(argv);
  // A file is named so it can be read back: JSON unless a format is asked for.
  const output = (a: MeshperfArgs): OutputFormat =>
    outputFile !== undefined && !outputGiven(rest) ? 'json' : a.output;
  const file = (f?: string) =>
    f === undefined ? {} : { outputFile: path.resolve(baseDir, f) };
  if (profile === undefined) {
    const args = meshperf(rest, baseDir);
    if (args.help) return 'help';
    return {
      source: { kind: 'flags', args },
      thresholds: args.thresholds,
      output: output(args),
      ...file(outputFile),
    };
  }
  checkProfileRunFlags(rest);
  const args = meshperf([PROFILE_PLACEHOLDER_URL, ...rest], baseDir);
  if (args.help) return 'help';
  return {
    source: {
      kind: 'profile',
      file: path.resolve(baseDir, profile),
      ...(args.load.labels ? { labels: args.load.labels } : {}),
    },
    thresholds: args.thresholds,
    output: output(args),
    ...file(outputFile),
  };
}
