import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import type { ChartLocation } from './archives';
import type { HelmValues } from './values';

/** One `helm template` run. */
export interface HelmTemplateRequest {
  release: string;
  namespace: string;
  chart: ChartLocation;
  values: HelmValues;
  kubeVersion?: string;
}

/** Renders a chart; the seam tests replace. */
export interface HelmTemplater {
  template(request: HelmTemplateRequest): Promise<string>;
}

export interface HelmCliOptions {
  /** Path or name on PATH. */
  binary: string;
  timeoutMs: number;
}

/** The last lines of helm's stderr, which name the failing template or value. */
function lastLines(text: string, count = 8): string {
  return text.trim().split('\n').slice(-count).join('\n');
}

/**
 * Runs the real `helm template <release> <chart> --namespace <ns> [--version v] -f values.yaml
 * --include-crds --skip-tests`, bounded by a timeout (the process is killed then). The values
 * go through a private temporary file, removed afterwards.
 */
export class HelmCli implements HelmTemplater {
  constructor(private readonly options: HelmCliOptions) {}

  async template(request: HelmTemplateRequest): Promise<string> {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'meshstage-helm-'));
    const valuesFile = path.join(dir, 'values.yaml');
    try {
      await fs.writeFile(valuesFile, stringify(request.values), {
        mode: 0o600,
      });
      const args = [
        'template',
        request.release,
        request.chart.ref,
        '--namespace',
        request.namespace,
        '--include-crds',
        '--skip-tests',
        '-f',
        valuesFile,
      ];
      if (request.chart.version) args.push('--version', request.chart.version);
      if (request.kubeVersion) args.push('--kube-version', request.kubeVersion);
      return await this.#run(args, request);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  }

  #run(args: string[], request: HelmTemplateRequest): Promise<string> {
    const { binary, timeoutMs } = this.options;
    const what = `helm template ${request.release} (${path.basename(
      request.chart.ref,
    )})`;
    return new Promise((resolve, reject) => {
      execFile(
        binary,
        args,
        {
          timeout: timeoutMs,
          maxBuffer: 256 * 1024 * 1024,
          killSignal: 'SIGKILL',
        },
        (error, stdout, stderr) => {
          if (!error) {
            resolve(stdout);
            return;
          }
          const e = error as NodeJS.ErrnoException & {
            killed?: boolean;
            code?: string | number;
          };
          if (e.code === 'ENOENT') {
            reject(
              new Error(
                `The helm binary '${binary}' was not found: install helm or set mesh.charts.helmBinary (or use mesh.charts.source: builtin)`,
              ),
            );
          } else if (e.killed) {
            reject(
              new Error(
                `${what} did not finish within ${Math.round(
                  timeoutMs / 1000,
                )} s and was stopped`,
              ),
            );
          } else {
            reject(
              new Error(
                `${what} failed: ${lastLines(String(stderr)) || e.message}`,
              ),
            );
          }
        },
      );
    });
  }
}
