import fs from 'node:fs';
import os from 'node:os';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import type { runLoad as RunLoad } from '@meshstage/loadgen';
import type { ProfileSpec } from './profileSchema';
import { ProgressTracker } from './progressTracker';
import { toLoadOptions } from './toLoadOptions';
import type {
  BenchmarkEnvironment,
  BenchmarkRunner,
  RunProgress,
} from './types';

let loadgenVersion: string | undefined;

/**
 * The load generator's engines (undici, @grpc/grpc-js, worker threads), loaded with the first run:
 * a backend that serves pages and never benchmarks does not hold them. The rest of the plugin reads
 * `@meshstage/loadgen/model`, which has none of them.
 */
function loadRunLoad(): typeof RunLoad {
  // require, not import(): jest runs the plugin's tests without ES module support.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const loadgen: typeof import('@meshstage/loadgen') = require('@meshstage/loadgen');
  return loadgen.runLoad;
}

/** The installed @meshstage/loadgen's version, read once. */
export function readLoadgenVersion(): string {
  if (loadgenVersion === undefined) {
    try {
      const file = resolvePackagePath('@meshstage/loadgen', 'package.json');
      loadgenVersion = String(
        JSON.parse(fs.readFileSync(file, 'utf8')).version,
      );
    } catch {
      loadgenVersion = 'unknown';
    }
  }
  return loadgenVersion;
}

/**
 * Runs profiles in the backend process with the loadgen library (worker threads when the profile
 * asks for more than one thread).
 */
export class InProcessRunner implements BenchmarkRunner {
  readonly id = 'in-process';

  async run(
    profile: ProfileSpec,
    signal: AbortSignal,
    onProgress: (progress: RunProgress) => void,
    context: { labels?: string } = {},
  ) {
    const tracker = new ProgressTracker(onProgress);
    const runLoad = loadRunLoad();
    const result = await runLoad({
      ...toLoadOptions(profile),
      ...(context.labels ? { labels: context.labels } : {}),
      signal,
      onProgress: p => tracker.update(p),
    });
    const environment: BenchmarkEnvironment = {
      runner: this.id,
      loadgenVersion: readLoadgenVersion(),
      nodeVersion: process.version,
      hostname: os.hostname(),
      threads: result.config.threads,
    };
    return { result, environment };
  }
}
