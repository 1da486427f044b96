import { resolve } from 'node:path';
import { HelpRequested, parseArgs, UsageError } from './cli/args';
import { inputFileProblem } from './cli/inputFiles';
import { startKubeSim } from './sim';

/**
 * Where relative paths are resolved: INIT_CWD (where the user ran yarn), else
 * the current directory. The root script runs a nested `yarn workspace ...`,
 * which resets INIT_CWD to this package's directory; then the project root
 * (PROJECT_CWD, where ./yarnw runs everything) is what the user meant.
 */
export function baseDirectory(
  env: NodeJS.ProcessEnv = process.env,
  cwd = process.cwd(),
): string {
  // this file lives in src/ (or dist/): the package directory is its parent
  const pkgDir = resolve(require.resolve('../package.json'), '..');
  if (env.INIT_CWD && resolve(env.INIT_CWD) === pkgDir && env.PROJECT_CWD)
    return env.PROJECT_CWD;
  return env.INIT_CWD || cwd;
}

/**
 * `kube-sim --port <n|0> --kubeconfig <file> ...`: serves https with a
 * generated CA (plain http with `--plain-http`), writes the kubeconfig,
 * prints the URL alone on stdout once listening (logs go to stderr) and
 * serves until SIGINT/SIGTERM, flushing state.
 */
export async function main(
  argv: string[] = process.argv.slice(2),
): Promise<void> {
  const base = baseDirectory();
  let args;
  try {
    args = parseArgs(argv, base);
  } catch (e) {
    if (e instanceof HelpRequested) {
      process.stdout.write(`${e.message}\n`);
      process.exit(0);
    }
    if (e instanceof UsageError) {
      process.stderr.write(`kube-sim: ${e.message.split('\n')[0]}\n`);
      process.exit(2);
    }
    throw e;
  }
  // Bad files are refused before anything listens or is written, with one line and exit 2.
  const refuse = (line: string): never => {
    process.stderr.write(`kube-sim: ${line.split('\n')[0]}\n`);
    process.exit(2);
  };
  const problem = inputFileProblem(args);
  if (problem) refuse(problem);
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const sim = await startKubeSim({
    port: args.port,
    host: args.host,
    token: args.token,
    seed: args.seed,
    statePath: args.state,
    gitVersion: args.serverVersion,
    // a real cluster serves https with its own CA; kubectl then sends the token
    tls: !args.plainHttp,
    localImages: args.localImages,
    proxyLatencyMs: args.proxyLatencyMs,
    faults: args.faults,
    log: args.verbose
      ? log
      : line =>
          // seed problems and the fault spec in force (with its seed) always show
          (line.startsWith('seed: ') && !line.startsWith('seed: created')) ||
          line.startsWith('faults: ')
            ? log(line)
            : undefined,
  }).catch(e =>
    // A seed or state file the simulator cannot read (bad YAML, an alias bomb, not a state
    // file), or a port it cannot listen on.
    refuse(`cannot start: ${String((e as Error)?.message ?? e)}`),
  );
  try {
    await sim.writeKubeconfig(args.kubeconfig);
  } catch (e) {
    await sim.close().catch(() => undefined);
    refuse(
      `cannot write --kubeconfig ${args.kubeconfig}: ${
        (e as NodeJS.ErrnoException).code ?? (e as Error).message
      }`,
    );
  }
  process.stdout.write(`${sim.url}\n`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    if (args.verbose) log(`kube-sim: ${signal}, shutting down`);
    sim.close().then(
      () => process.exit(0),
      e => {
        log(`kube-sim: close failed: ${String(e)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

if (require.main === module) {
  main().catch(e => {
    process.stderr.write(`kube-sim: ${(e as Error)?.stack ?? String(e)}\n`);
    process.exit(1);
  });
}
