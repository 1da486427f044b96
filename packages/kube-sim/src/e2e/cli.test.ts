import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { run } from '../__testUtils__/kubectl';

jest.setTimeout(180_000);

const BIN = resolve(__dirname, '../../bin/kube-sim');
const NODE = process.execPath;

describe('kube-sim command line', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'kube-sim-cli-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints the URL, writes a kubeconfig kubectl can use, and stops on SIGTERM', async () => {
    const kubeconfig = join(dir, 'kc');
    const state = join(dir, 'state.json');
    const child = spawn(
      NODE,
      [
        BIN,
        '--port',
        '0',
        '--kubeconfig',
        kubeconfig,
        '--state',
        state,
        '--seed',
        resolve(__dirname, '../../../../examples/cluster'),
      ],
      {
        env: { PATH: process.env.PATH },
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', d => (stdout += d));
    child.stderr.on('data', d => (stderr += d));
    const exited = new Promise<number | null>(r =>
      child.on('exit', code => r(code)),
    );
    try {
      const deadline = Date.now() + 60000;
      while (!stdout.includes('\n') && Date.now() < deadline)
        await new Promise(r => setTimeout(r, 50));
      const url = stdout.split('\n')[0];
      // https with its own CA by default, like a real cluster
      expect(url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const kc = readFileSync(kubeconfig, 'utf8');
      expect(kc).toContain(`server: ${url}`);
      expect(kc).toContain('certificate-authority-data: ');
      expect(kc).not.toContain('insecure-skip-tls-verify');
      expect(existsSync(`${state}.tls.json`)).toBe(true);
      const env = { PATH: process.env.PATH, HOME: dir, KUBECONFIG: kubeconfig };
      const r = await run(
        '/usr/bin/kubectl',
        ['get', 'deploy', '-n', 'bookinfo', '-o', 'name'],
        env,
      );
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('deployment.apps/productpage-v1');
      const v = await run('/usr/bin/kubectl', ['version', '-o', 'json'], env);
      expect(JSON.parse(v.stdout).serverVersion.gitVersion).toBe('v1.31.4');
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(
      JSON.parse(readFileSync(state, 'utf8')).items.length,
    ).toBeGreaterThan(10);
    void stderr;
  });

  it('serves plain http with --plain-http', async () => {
    const kubeconfig = join(dir, 'kc-plain');
    const child = spawn(
      NODE,
      [BIN, '--port', '0', '--kubeconfig', kubeconfig, '--plain-http'],
      { env: { PATH: process.env.PATH } },
    );
    let stdout = '';
    child.stdout.on('data', d => (stdout += d));
    const exited = new Promise<number | null>(r =>
      child.on('exit', code => r(code)),
    );
    try {
      const deadline = Date.now() + 60000;
      while (!stdout.includes('\n') && Date.now() < deadline)
        await new Promise(r => setTimeout(r, 50));
      const url = stdout.split('\n')[0];
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const r = await run('/usr/bin/kubectl', ['get', 'ns', '-o', 'name'], {
        PATH: process.env.PATH,
        HOME: dir,
        KUBECONFIG: kubeconfig,
      });
      expect(r.stdout).toContain('namespace/default');
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });

  it('rejects bad flags with exit code 2 and a one-line reason', async () => {
    const r = await run(
      NODE,
      [BIN, '--port', 'abc', '--kubeconfig', join(dir, 'x')],
      { PATH: process.env.PATH },
    );
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([
      'kube-sim: invalid --port "abc": want a number from 0 to 65535',
    ]);
    const r2 = await run(
      NODE,
      [BIN, '--port', '0', '--kubeconfig', join(dir, 'x'), '--bogus'],
      { PATH: process.env.PATH },
    );
    expect(r2.code).toBe(2);
    expect(r2.stderr.trim()).toBe('kube-sim: unknown flag: --bogus');
    const r3 = await run(NODE, [BIN, '--port', '0'], {
      PATH: process.env.PATH,
    });
    expect(r3.code).toBe(2);
    expect(r3.stderr.trim()).toBe(
      'kube-sim: missing required flag: --kubeconfig',
    );
  });
});
