import { type ChildProcess, fork } from 'node:child_process';
import path from 'node:path';
import request from 'supertest';
import type { MeshBackendMessage } from './meshBackendMain';

const MAIN = path.resolve(__dirname, 'meshBackendMain.ts');

/** A mesh backend running as a child process (see meshBackendMain.ts). */
export interface MeshBackendProcess {
  readonly name: string;
  readonly pid: number;
  /** Its base URL, e.g. http://127.0.0.1:40123 */
  readonly url: string;
  /** supertest against `/api/mesh` of this process. */
  readonly api: {
    get(path: string): request.Test;
    post(path: string, body?: object): request.Test;
  };
  /** What it wrote to stderr (warnings and errors). */
  stderr(): string;
  /** SIGKILL: no shutdown hook, no last write. Resolves once the process is gone. */
  kill(): Promise<void>;
  /** SIGTERM, as at the end of a test. */
  stop(): Promise<void>;
}

/**
 * Starts a mesh backend in a child process with `config` as its whole app-config, through the
 * Backstage CLI's TypeScript transform, and resolves once it listens. Rejects with its stderr when
 * it fails to start.
 */
export function startMeshBackendProcess(
  name: string,
  config: object,
  options: { startTimeoutMs?: number } = {},
): Promise<MeshBackendProcess> {
  const child: ChildProcess = fork(MAIN, [], {
    execArgv: [
      '--require',
      require.resolve('@backstage/cli-node/config/nodeTransform.cjs'),
    ],
    env: { ...process.env, MESH_BACKEND_CONFIG: JSON.stringify(config) },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<void>(resolve => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  const end = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill(signal);
    }
    await exited;
  };

  return new Promise((resolve, reject) => {
    let timer: ReturnType<typeof setTimeout> | undefined = undefined;
    const fail = (why: string) => {
      clearTimeout(timer);
      end('SIGKILL').finally(() =>
        reject(new Error(`mesh backend ${name} ${why}\n${stderr}`)),
      );
    };
    const startTimeoutMs = options.startTimeoutMs ?? 120_000;
    timer = setTimeout(
      () => fail(`did not listen within ${startTimeoutMs} ms`),
      startTimeoutMs,
    );
    const early = (code: number | null, signal: string | null) =>
      fail(`exited (${signal ?? code}) before it listened`);
    child.once('exit', early);
    child.on('message', (message: MeshBackendMessage | { type: string }) => {
      if (message.type === 'error') {
        fail(`failed to start: ${(message as { message: string }).message}`);
        return;
      }
      // The transform also reports the files it loads ('watch'): not for us.
      if (message.type !== 'listening') return;
      clearTimeout(timer);
      child.off('exit', early);
      const url = `http://127.0.0.1:${(message as { port: number }).port}`;
      resolve({
        name,
        pid: child.pid!,
        url,
        api: {
          get: (p: string) => request(url).get(`/api/mesh${p}`),
          post: (p: string, body?: object) =>
            request(url)
              .post(`/api/mesh${p}`)
              .send(body ?? {}),
        },
        stderr: () => stderr,
        kill: () => end('SIGKILL'),
        stop: () => end('SIGTERM'),
      });
    });
  });
}
