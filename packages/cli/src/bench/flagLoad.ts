import {
  formatBytes,
  MESHPERF_MAX_INPUT_FILE_BYTES,
  parseResolve,
  ResolveError,
  type LoadOptions,
  type MeshperfArgs,
} from '@meshstage/loadgen';
import fs from 'node:fs/promises';
import { BenchInputError } from './inputError';

async function readInput(file: string, what: string): Promise<Buffer> {
  try {
    const { size } = await fs.stat(file);
    if (size > MESHPERF_MAX_INPUT_FILE_BYTES)
      throw new BenchInputError(
        `${what} ${file} is ${formatBytes(
          size,
        )}, over the limit of ${formatBytes(MESHPERF_MAX_INPUT_FILE_BYTES)}`,
      );
    return await fs.readFile(file);
  } catch (e) {
    if (e instanceof BenchInputError) throw e;
    throw new BenchInputError(
      `cannot read ${what} ${file}: ${
        (e as NodeJS.ErrnoException).code ?? (e as Error).message
      }`,
    );
  }
}

/**
 * The load of a flags run, completed as meshperf completes it: `MESHPERF_RESOLVE` pins first
 * (so a `--resolve` for the same host:port wins), then the `--body-file` and `--cacert` contents.
 *
 * @throws BenchInputError for a bad pin or an unreadable file
 */
export async function flagLoad(
  args: MeshperfArgs,
  env: NodeJS.ProcessEnv,
): Promise<LoadOptions> {
  const load: LoadOptions = { ...args.load };
  const pins = [
    ...(env.MESHPERF_RESOLVE ? [env.MESHPERF_RESOLVE] : []),
    ...(load.resolve ?? []),
  ];
  if (pins.length) {
    try {
      parseResolve(pins);
    } catch (e) {
      if (e instanceof ResolveError) throw new BenchInputError(e.message);
      throw e;
    }
    load.resolve = pins;
  }
  if (args.bodyFile) {
    const body = await readInput(args.bodyFile, '--body-file');
    load.targets = load.targets.map(t => ({ ...t, body }));
  }
  if (args.caFile) {
    const ca = await readInput(args.caFile, '--cacert');
    load.tls = { ...load.tls, ca: ca.toString('utf8') };
  }
  return load;
}
