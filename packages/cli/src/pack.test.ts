import { startEchoServer } from '@meshstage/loadgen';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

// Run as a user would from a shell: under `yarn test` the environment names yarn's directories
// (INIT_CWD, PROJECT_CWD), which the CLIs read as the user's directory.
const userEnv = () => {
  const env = { ...process.env };
  delete env.INIT_CWD;
  delete env.PROJECT_CWD;
  delete env.npm_package_name;
  return env;
};

// npm pack, an offline install and node start-ups: seconds when idle, much more on a busy machine.
jest.setTimeout(120_000);
const PKG = path.resolve(__dirname, '..');
const FIXTURES = path.join(__dirname, '__fixtures__');

/**
 * `npx`-style use: the packed package (its prepack script builds the bundle) installs into an
 * empty directory without a registry, because it has no dependencies left to fetch, and its bin
 * validates files with the bundle alone.
 */
describe('the packed meshstage package', () => {
  let dir: string;
  let bin: string;
  let packed: string[];
  beforeAll(async () => {
    dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'meshstage-pack-'));
    const { stdout } = await run(
      'npm',
      ['pack', '--json', '--pack-destination', dir],
      { cwd: PKG, maxBuffer: 16 * 1024 * 1024 },
    );
    const [{ filename, files }] = JSON.parse(stdout.slice(stdout.indexOf('[')));
    packed = files.map((f: { path: string }) => f.path).sort();
    const project = path.join(dir, 'project');
    await fs.promises.mkdir(project);
    await run(
      'npm',
      [
        'install',
        '--offline',
        '--no-audit',
        '--no-fund',
        '--ignore-scripts',
        '--cache',
        path.join(dir, 'npm-cache'),
        path.join(dir, filename),
      ],
      { cwd: project },
    );
    bin = path.join(project, 'node_modules/.bin/meshstage');
  }, 300_000);
  afterAll(async () => {
    if (dir) await fs.promises.rm(dir, { recursive: true, force: true });
  });

  async function meshstage(args: string[]) {
    try {
      const { stdout, stderr } = await run(process.execPath, [bin, ...args], {
        cwd: FIXTURES,
        env: userEnv(),
      });
      return { code: 0, stdout, stderr };
    } catch (e: any) {
      return { code: e.code as number, stdout: e.stdout, stderr: e.stderr };
    }
  }

  it('holds only the bin and the bundles: no sources, no build bookkeeping', () => {
    expect(packed).toEqual([
      'bin/meshstage',
      'dist/meshstage-bench.cjs',
      'dist/meshstage-kube.cjs',
      'dist/meshstage.cjs',
      'package.json',
    ]);
  });

  it('installs with nothing from a registry and validates a file', async () => {
    expect(fs.existsSync(bin)).toBe(true);
    const r = await meshstage(['validate', 'broken/app.yaml']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      'broken/app.yaml:25:13  error   MS0201 (IST0101)  VirtualService shop/cart: Referenced host not found: "kart"',
    );
    const ok = await meshstage([
      'validate',
      'broken/notes.yml',
      '--fail-on',
      'never',
    ]);
    expect(ok.code).toBe(0);
  });

  it('benchmarks a local server from its bundle, worker threads included', async () => {
    const server = await startEchoServer({ port: 0, host: '127.0.0.1' });
    try {
      const r = await meshstage([
        'bench',
        `http://127.0.0.1:${server.port}/`,
        '-c',
        '2',
        '-n',
        '40',
        '--threads',
        '2',
        '--max-error-rate',
        '0',
        '-o',
        'json',
      ]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const result = JSON.parse(r.stdout);
      expect(result.requests).toMatchObject({ total: 40, failed: 0 });
      expect(result.config.threads).toBe(2);
    } finally {
      await server.close();
    }
  });

  it('loads its cluster client on demand', async () => {
    const kubeconfig = path.join(dir, 'kubeconfig');
    await fs.promises.writeFile(
      kubeconfig,
      'apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\nusers: []\n',
    );
    const r = await meshstage([
      'validate',
      '--cluster',
      'nope',
      '--kubeconfig',
      kubeconfig,
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'meshstage: cannot use cluster "nope": kubeconfig has no context "nope" (contexts: none)\n',
    );
  });
});
