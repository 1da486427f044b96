/**
 * The `meshstage` command line: `meshstage validate` for CI pipelines.
 *
 * @packageDocumentation
 */
import { IstioAdapter } from '@meshstage/plugin-mesh-backend-module-istio';
import { LinkerdAdapter } from '@meshstage/plugin-mesh-backend-module-linkerd';
import path from 'node:path';
import { CliIo, runValidate, UsageError, VALIDATE_USAGE } from './validate';

export { runValidate, UsageError } from './validate';
export type { CliIo } from './validate';

const USAGE = `Usage: meshstage <command>

Commands:
  validate   validate service-mesh configuration in files and/or a cluster

${VALIDATE_USAGE}`;

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
      const { KubeconfigClusterView, loadKubeConfig } = await import(
        './kubeconfigView'
      );
      return new KubeconfigClusterView(loadKubeConfig(context, kubeconfig));
    },
    adapters: [new IstioAdapter(), new LinkerdAdapter()],
  };
}

/** Runs a command line and returns its exit code. */
export async function runCli(
  argv: string[],
  io: CliIo = defaultIo(),
): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === 'validate') return await runValidate(rest, io);
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
      `unknown command "${command}" (try: meshstage validate --help)`,
    );
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`meshstage: ${e.message}\n`);
      return 2;
    }
    io.stderr(`meshstage: ${(e as Error)?.stack ?? e}\n`);
    return 2;
  }
}

/** Entry point of the `meshstage` bin. */
export function main(): void {
  runCli(process.argv.slice(2)).then(code => {
    process.exitCode = code;
  });
}
