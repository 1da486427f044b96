import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** Debian's package puts it here (`.ci/run` installs it); override with MESHSTAGE_PROMETHEUS. */
export const PROMETHEUS_BINARY =
  process.env.MESHSTAGE_PROMETHEUS ?? '/usr/bin/prometheus';

export function prometheusAvailable(): boolean {
  try {
    fs.accessSync(PROMETHEUS_BINARY, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** A loopback port that was free a moment ago. */
export async function freePort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>(resolve => server.close(() => resolve()));
  return port;
}

export interface PrometheusServer {
  url: string;
  process: ChildProcess;
  /** The last lines Prometheus logged, for failure messages. */
  log(): string;
  /** Stops the process (SIGTERM, then SIGKILL) and removes its directory. Safe to call twice. */
  stop(): Promise<void>;
}

export interface StartPrometheusOptions {
  /** `scrape_configs` entries, as YAML-ready objects. */
  scrapeConfigs: unknown[];
  /** Contents of `--web.config.file`, when set. */
  webConfig?: string;
  /** Authorization header for the readiness probe. */
  authorization?: string;
  readyTimeoutMs?: number;
}

function get(
  url: string,
  authorization?: string,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get(
      url,
      { headers: authorization ? { Authorization: authorization } : {} },
      res => {
        const chunks: Buffer[] = [];
        res.on('data', c => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    req.on('error', reject);
    req.setTimeout(5000, () => req.destroy(new Error('timeout')));
  });
}

export { get as httpGet };

/** One Prometheus process and what it logged (the last 40 lines). */
interface Running {
  child: ChildProcess;
  lines: string[];
  exited: boolean;
}

function spawnPrometheus(args: string[]): Running {
  const child = spawn(PROMETHEUS_BINARY, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const running: Running = { child, lines: [], exited: false };
  const keep = (chunk: Buffer) => {
    running.lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    if (running.lines.length > 40) running.lines = running.lines.slice(-40);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  child.once('exit', () => {
    running.exited = true;
  });
  return running;
}

async function stopProcess(running: Running | undefined): Promise<void> {
  if (!running || running.exited) return;
  const { child } = running;
  const exit = new Promise<void>(resolve =>
    child.once('exit', () => resolve()),
  );
  // A process stopped with SIGSTOP (the timeout test) must run again to handle SIGTERM.
  child.kill('SIGCONT');
  child.kill('SIGTERM');
  const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exit;
  clearTimeout(killer);
}

/** Polls `/-/ready` until it answers 200 (true), the process exits or the deadline passes. */
async function waitReady(
  url: string,
  running: Running,
  deadline: number,
  authorization?: string,
): Promise<boolean> {
  while (!running.exited && Date.now() < deadline) {
    const ready = await get(`${url}/-/ready`, authorization).catch(
      () => undefined,
    );
    if (ready?.status === 200) return true;
    await new Promise(resolve => setTimeout(resolve, 200));
  }
  return false;
}

/**
 * Starts the real Prometheus on a free loopback port with a temporary data directory and the
 * given scrape configs (1 s interval), and waits until `/-/ready` answers 200. JSON is valid
 * YAML, so the config file is written as JSON.
 */
export async function startPrometheus(
  options: StartPrometheusOptions,
): Promise<PrometheusServer> {
  const dir = await fs.promises.mkdtemp(
    path.join(os.tmpdir(), 'meshstage-prometheus-'),
  );
  const configFile = path.join(dir, 'prometheus.yml');
  await fs.promises.writeFile(
    configFile,
    JSON.stringify({
      global: {
        scrape_interval: '1s',
        scrape_timeout: '1s',
        evaluation_interval: '1m',
      },
      scrape_configs: options.scrapeConfigs,
    }),
  );
  const args = [
    `--config.file=${configFile}`,
    `--storage.tsdb.path=${path.join(dir, 'data')}`,
    `--storage.tsdb.retention.time=1h`,
  ];
  if (options.webConfig) {
    const webFile = path.join(dir, 'web.yml');
    await fs.promises.writeFile(webFile, options.webConfig);
    args.push(`--web.config.file=${webFile}`);
  }

  let running: Running | undefined;
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await stopProcess(running);
    await fs.promises.rm(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + (options.readyTimeoutMs ?? 90_000);
  // The port was free a moment ago; another process may take it first, so retry on a new one.
  for (let attempt = 0; attempt < 3; attempt++) {
    const url = `http://127.0.0.1:${await freePort()}`;
    running = spawnPrometheus([
      ...args,
      `--web.listen-address=${url.slice('http://'.length)}`,
    ]);
    const current = running;
    if (await waitReady(url, current, deadline, options.authorization)) {
      return {
        url,
        process: current.child,
        log: () => current.lines.join('\n'),
        stop,
      };
    }
    if (!current.exited) {
      const log = current.lines.join('\n');
      await stop();
      throw new Error(`Prometheus did not become ready at ${url}:\n${log}`);
    }
    if (!current.lines.some(l => /address already in use/.test(l))) break;
  }
  const log = running?.lines.join('\n') ?? '';
  await stop();
  throw new Error(`Prometheus exited before it was ready:\n${log}`);
}
