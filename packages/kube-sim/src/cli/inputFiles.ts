import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { CliArgs } from './args';

/** Largest seed file read (a seed is a handful of manifests; a larger file is a mistake). */
export const MAX_SEED_FILE_BYTES = 16 * 1024 * 1024;

function sizeMiB(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/** Seed YAML files under a path (files as given, directories recursively), with their sizes. */
function seedFileSizes(path: string, out: [string, number][]): void {
  const stat = statSync(path);
  if (!stat.isDirectory()) {
    out.push([path, stat.size]);
    return;
  }
  for (const entry of readdirSync(path)) seedFileSizes(join(path, entry), out);
}

/**
 * What is wrong with the files the command line names, before the simulator starts: a missing
 * seed path, a seed file over {@link MAX_SEED_FILE_BYTES}, a `--state` or `--kubeconfig` that is
 * a directory, a `--state` file that is not JSON. Seed contents are checked when they are read.
 *
 * @returns a one-line reason, or undefined when the files can be used
 */
export function inputFileProblem(
  args: Pick<CliArgs, 'seed' | 'state' | 'kubeconfig'>,
): string | undefined {
  for (const seed of args.seed) {
    const files: [string, number][] = [];
    try {
      seedFileSizes(seed, files);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      return code === 'ENOENT'
        ? `--seed path does not exist: ${seed}`
        : `cannot read --seed ${seed}: ${code ?? (e as Error).message}`;
    }
    const big = files.find(([, size]) => size > MAX_SEED_FILE_BYTES);
    if (big)
      return `--seed file ${big[0]} is ${sizeMiB(
        big[1],
      )}, over the limit of ${sizeMiB(MAX_SEED_FILE_BYTES)}`;
  }
  for (const [flag, path] of [
    ['--state', args.state],
    ['--kubeconfig', args.kubeconfig],
  ] as const) {
    if (path && statSync(path, { throwIfNoEntry: false })?.isDirectory())
      return `${flag} ${path} is a directory, not a file`;
  }
  if (args.state && existsSync(args.state)) {
    // Parsed here too so a broken file is named; the simulator parses it again to load it.
    try {
      JSON.parse(readFileSync(args.state, 'utf8'));
    } catch (e) {
      return `--state ${args.state} is not a kube-sim state file: ${
        (e as NodeJS.ErrnoException).code ?? (e as Error).message
      }`;
    }
  }
  return undefined;
}
