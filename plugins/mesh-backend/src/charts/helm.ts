import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import type { ChartLocation } from './archives';
import { parseOciReference, redactSecrets, type RepositoryAccess } from './oci';
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

/** One `helm pull` of an OCI chart. */
export interface HelmPullRequest {
  /** `oci://host/path/<chart>`. */
  ref: string;
  version: string;
  /** An existing directory the archive is written to. */
  destination: string;
  access?: RepositoryAccess;
}

/** Pulls an OCI chart; the seam tests replace. */
export interface HelmPuller {
  /** The archive written and the manifest digest helm reports (when it does). */
  pull(request: HelmPullRequest): Promise<{ file: string; digest?: string }>;
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
export class HelmCli implements HelmTemplater, HelmPuller {
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
      const { stdout } = await this.#run(
        args,
        `helm template ${request.release} (${path.basename(
          request.chart.ref,
        )})`,
      );
      return stdout;
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  }

  /**
   * Runs the real `helm pull <oci ref> --version <v> --destination <dir>` (`--plain-http` when
   * the repository's config allows it). Credentials go through a private temporary registry
   * config (`--registry-config`), never on the command line; helm's homes point into the same
   * temporary directory, removed afterwards. Errors name the chart, never the secrets.
   */
  async pull(
    request: HelmPullRequest,
  ): Promise<{ file: string; digest?: string }> {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'meshstage-helm-'));
    const { access } = request;
    try {
      const registryConfig = path.join(dir, 'registry.json');
      const { host } = parseOciReference(request.ref);
      const auth: Record<string, string> = {};
      if (access?.token) auth.registrytoken = access.token;
      else if (access?.username !== undefined) {
        auth.auth = Buffer.from(
          `${access.username}:${access.password ?? ''}`,
        ).toString('base64');
      }
      await fs.writeFile(
        registryConfig,
        JSON.stringify({
          auths: Object.keys(auth).length ? { [host]: auth } : {},
        }),
        { mode: 0o600 },
      );
      const before = new Set(await fs.readdir(request.destination));
      const args = [
        'pull',
        request.ref,
        '--version',
        request.version,
        '--destination',
        request.destination,
        '--registry-config',
        registryConfig,
      ];
      if (access?.plainHttp) args.push('--plain-http');
      let output: { stdout: string; stderr: string };
      try {
        output = await this.#run(
          args,
          `helm pull ${request.ref} --version ${request.version}`,
          {
            HELM_CACHE_HOME: path.join(dir, 'cache'),
            HELM_CONFIG_HOME: path.join(dir, 'config'),
            HELM_DATA_HOME: path.join(dir, 'data'),
          },
        );
      } catch (error) {
        throw new Error(redactSecrets((error as Error).message, access));
      }
      const written = (await fs.readdir(request.destination)).filter(
        f => f.endsWith('.tgz') && !before.has(f),
      );
      if (written.length !== 1) {
        throw new Error(
          `helm pull ${request.ref} --version ${request.version} wrote ${written.length} archives`,
        );
      }
      // helm reports `Pulled: <ref>` and `Digest: <manifest digest>` (on stderr since helm 3.8).
      const digest = /^Digest:\s*(\S+)/m.exec(
        `${output.stdout}\n${output.stderr}`,
      )?.[1];
      return { file: path.join(request.destination, written[0]), digest };
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  }

  /** Runs helm, bounded by the timeout; a failure's error carries the end of its stderr. */
  #run(
    args: string[],
    what: string,
    env?: Record<string, string>,
  ): Promise<{ stdout: string; stderr: string }> {
    const { binary, timeoutMs } = this.options;
    return new Promise((resolve, reject) => {
      execFile(
        binary,
        args,
        {
          timeout: timeoutMs,
          maxBuffer: 256 * 1024 * 1024,
          killSignal: 'SIGKILL',
          ...(env ? { env: { ...process.env, ...env } } : {}),
        },
        (error, stdout, stderr) => {
          if (!error) {
            resolve({ stdout: String(stdout), stderr: String(stderr) });
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
