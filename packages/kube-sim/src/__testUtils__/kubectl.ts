import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  startKubeSimInstance,
  KubeSimInstance,
  KubeSimInternals,
  KubeSimOptions,
} from '../sim';

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A simulator plus a private HOME and kubeconfig for running the real kubectl against it. */
export interface KubectlFixture {
  sim: KubeSimInstance;
  dir: string;
  kubeconfig: string;
  /** Runs /usr/bin/kubectl with the fixture's HOME and KUBECONFIG. */
  kubectl(
    args: string[],
    opts?: { input?: string; timeoutMs?: number },
  ): Promise<RunResult>;
  /** Like kubectl() but fails the test on a non-zero exit; returns stdout. */
  ok(
    args: string[],
    opts?: { input?: string; timeoutMs?: number },
  ): Promise<string>;
  /**
   * Starts a kubectl that keeps running (`get -w`, `logs -f`): the output so far, whether it has
   * exited, and `stop` (kills it). Wait for what it prints with {@link eventually}, not a sleep.
   */
  stream(args: string[]): KubectlStream;
  /** Writes a file in the fixture's directory and returns its path. */
  file(name: string, content: string): string;
  close(): Promise<void>;
}

/** A running kubectl started by {@link KubectlFixture.stream}. */
export interface KubectlStream {
  readonly stdout: string;
  readonly exited: boolean;
  stop(): Promise<void>;
}

export function run(
  cmd: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  opts: { input?: string; timeoutMs?: number; cwd?: string } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      env,
      cwd: opts.cwd,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', d => (stdout += d));
    child.stderr.on('data', d => (stderr += d));
    // A backstop for a hung command only: generous, so a busy machine never hits it.
    const timer = setTimeout(
      () => child.kill('SIGKILL'),
      opts.timeoutMs ?? 120_000,
    );
    child.on('error', reject);
    child.on('close', code => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(opts.input ?? '');
  });
}

/** Fast pod start for tests. */
export const TEST_INTERNALS: KubeSimInternals = {
  podStartDelayMs: 50,
  jobCompleteDelayMs: 100,
  bookmarkIntervalMs: 500,
};

export async function kubectlFixture(
  options: KubeSimOptions = {},
  internals: KubeSimInternals = TEST_INTERNALS,
): Promise<KubectlFixture> {
  const sim = await startKubeSimInstance(options, internals);
  const dir = mkdtempSync(join(tmpdir(), 'kube-sim-test-'));
  const kubeconfig = join(dir, 'kubeconfig');
  await sim.writeKubeconfig(kubeconfig);
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: dir,
    KUBECONFIG: kubeconfig,
  };
  const kubectl = (
    args: string[],
    opts: { input?: string; timeoutMs?: number } = {},
  ) => run('/usr/bin/kubectl', args, env, { ...opts, cwd: dir });
  return {
    sim,
    dir,
    kubeconfig,
    kubectl,
    async ok(args, opts) {
      const r = await kubectl(args, opts);
      if (r.code !== 0)
        throw new Error(
          `kubectl ${args.join(' ')} exited ${r.code}\n${r.stderr}${r.stdout}`,
        );
      return r.stdout;
    },
    stream(args) {
      const child = spawn('/usr/bin/kubectl', args, {
        env,
        cwd: dir,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let exited = false;
      child.stdout.on('data', d => (stdout += d));
      child.stderr.resume();
      const closed = new Promise<void>(resolve => {
        const end = () => {
          exited = true;
          resolve();
        };
        child.on('close', end);
        child.on('error', end);
      });
      return {
        get stdout() {
          return stdout;
        },
        get exited() {
          return exited;
        },
        async stop() {
          if (!exited) child.kill('SIGKILL');
          await closed;
        },
      };
    },
    file(name, content) {
      const p = join(dir, name);
      writeFileSync(p, content);
      return p;
    },
    async close() {
      await sim.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Polls until fn returns a truthy value (or throws after timeoutMs). The default limit is
 * generous on purpose: it only bounds how long a broken test hangs, and must never be reached by
 * a working one on a busy machine.
 */
export async function eventually<T>(
  fn: () => Promise<T> | T,
  timeoutMs = 60_000,
  intervalMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline)
      throw new Error(
        `condition not met in ${timeoutMs}ms${last ? `: ${String(last)}` : ''}`,
      );
    await new Promise(r => setTimeout(r, intervalMs));
  }
}

/** Splits kubectl table output into rows of columns (header first). */
export function tableRows(out: string): string[][] {
  return out
    .trim()
    .split('\n')
    .filter(Boolean)
    .map(l => l.trim().split(/\s{2,}/));
}
