/**
 * The `meshstage` command line for CI pipelines: `meshstage validate` (mesh configuration) and
 * `meshstage bench` (load thresholds).
 *
 * @packageDocumentation
 */
import { IstioAdapter } from '@meshstage/plugin-mesh-backend-module-istio';
import { LinkerdAdapter } from '@meshstage/plugin-mesh-backend-module-linkerd';
import path from 'node:path';
import { chunkExports } from './chunkExports';
import { benchNodeProblem } from './nodeRequirement';
import { oneLine } from './oneLine';
import { CliIo, runValidate, UsageError } from './validate';

export { runValidate, UsageError } from './validate';
export type { CliIo } from './validate';

const USAGE = `Usage: meshstage <command> [options]

Commands:
  validate   validate service-mesh configuration in files and/or a cluster
  bench      send load to HTTP or gRPC targets and check latency, error-rate
             and throughput thresholds (meshperf's options, or a profile file)

Run meshstage <command> --help for a command's options. Exit codes: 0 ok, 1 findings
or a broken threshold, 2 bad usage or input, 3 (bench) the run itself failed.
`;

/**
 * The directory the user ran the command from, which relative paths are resolved against and
 * printed relative to. `INIT_CWD` is where `yarn` was invoked (the root `yarn meshstage` runs the
 * bin directly, so it stays the user's directory); but this package's own script (`yarn workspace
 * @meshstage/cli run meshstage`) resets it to this package's directory, and `./yarnw` always runs
 * from the repository root, so in that case the project root (`PROJECT_CWD`) is the user's
 * directory.
 */
export function userCwd(env: NodeJS.ProcessEnv = process.env): string {
  const ownScript =
    env.npm_package_name === '@meshstage/cli' &&
    env.INIT_CWD !== undefined &&
    path.resolve(env.INIT_CWD) === process.cwd();
  if (ownScript && env.PROJECT_CWD) return env.PROJECT_CWD;
  return env.INIT_CWD || process.cwd();
}

/**
 * The default I/O: process streams, the user's directory, client-node clusters, both adapters.
 * `@kubernetes/client-node` (the largest part of the CLI) loads only when a cluster is opened, so
 * validating files does not pay for it.
 */
export function defaultIo(): CliIo {
  return {
    stdout: t => process.stdout.write(t),
    stderr: t => process.stderr.write(t),
    cwd: userCwd(),
    openCluster: async (context, kubeconfig) => {
      const { KubeconfigClusterView, loadKubeConfig } = chunkExports(
        await import('./kubeconfigView'),
      );
      return new KubeconfigClusterView(loadKubeConfig(context, kubeconfig));
    },
    adapters: [new IstioAdapter(), new LinkerdAdapter()],
  };
}

/** Runs a command line and returns its exit code; `signal` stops a bench run's load early. */
export async function runCli(
  argv: string[],
  io: CliIo = defaultIo(),
  signal?: AbortSignal,
): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === 'validate') return await runValidate(rest, io);
    if (command === 'bench') {
      const problem = benchNodeProblem();
      if (problem) throw new UsageError(problem);
      // Loaded on demand: the load generator is a separate bundle validate never reads.
      const { runBench } = chunkExports(await import('./bench'));
      return await runBench(rest, {
        stdout: io.stdout,
        stderr: io.stderr,
        cwd: io.cwd,
        env: process.env,
        signal,
      });
    }
    if (
      command === undefined ||
      command === '--help' ||
      command === '-h' ||
      command === 'help'
    ) {
      io.stdout(USAGE);
      return command === undefined ? 2 : 0;
    }
    throw new UsageError(
      `unknown command "${command}" (try: meshstage --help)`,
    );
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`meshstage: ${oneLine(e.message)}\n`);
      return 2;
    }
    // Never a stack trace: one line, as for bad input.
    io.stderr(
      `meshstage: unexpected error: ${oneLine(
        String((e as Error)?.message ?? e).split('\n')[0],
      )}\n`,
    );
    return 2;
  }
}

/** Entry point of the `meshstage` bin. */
export function main(): void {
  const argv = process.argv.slice(2);
  const abort = new AbortController();
  if (argv[0] === 'bench') {
    // As meshperf: Ctrl-C or SIGTERM (a cancelled CI job) stops the load and still reports what
    // completed; a second one exits at once.
    const stop = (code: number) => {
      if (abort.signal.aborted) process.exit(code);
      abort.abort();
    };
    process.on('SIGINT', () => stop(130));
    process.on('SIGTERM', () => stop(143));
  }
  runCli(argv, defaultIo(), abort.signal).then(code => {
    process.exitCode = code;
  });
}
