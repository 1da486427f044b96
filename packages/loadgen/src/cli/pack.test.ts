import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { startHttpServer, type TestServer } from '../__testUtils__/servers';

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
const PKG = path.resolve(__dirname, '../..');

/**
 * The packed package (its prepack script builds the bundle), unpacked with no node_modules
 * anywhere near it: meshperf runs from the single-file bundle alone, worker threads included.
 * (Unpacked rather than `npm install`ed: as a library for the backend the package keeps its
 * dependencies, which an install would fetch from a registry.)
 */
describe('the packed meshperf package', () => {
  let dir: string;
  let bin: string;
  let server: TestServer;
  beforeAll(async () => {
    server = await startHttpServer();
    dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'meshperf-pack-'));
    const { stdout } = await run(
      'npm',
      ['pack', '--json', '--pack-destination', dir],
      { cwd: PKG, maxBuffer: 16 * 1024 * 1024 },
    );
    const [{ filename }] = JSON.parse(stdout.slice(stdout.indexOf('[')));
    await run('tar', ['-xzf', path.join(dir, filename), '-C', dir]);
    bin = path.join(dir, 'package/bin/meshperf');
  }, 300_000);
  afterAll(async () => {
    await server?.close();
    if (dir) await fs.promises.rm(dir, { recursive: true, force: true });
  });

  const meshperf = async (args: string[]) => {
    try {
      const { stdout, stderr } = await run(process.execPath, [bin, ...args], {
        cwd: dir,
        env: userEnv(),
      });
      return { code: 0, stdout, stderr };
    } catch (e: any) {
      return { code: e.code as number, stdout: e.stdout, stderr: e.stderr };
    }
  };

  it('prints its usage', async () => {
    expect(fs.existsSync(path.join(dir, 'package/dist/meshperf.cjs'))).toBe(
      true,
    );
    // The build bookkeeping stays home: an installed bin always runs its bundle.
    expect(
      fs.existsSync(path.join(dir, 'package/dist/meshperf.cjs.inputs.json')),
    ).toBe(false);
    const r = await meshperf(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: meshperf <url>/);
  });

  it('runs a load on worker threads with the default engine', async () => {
    server.arrivals.length = 0;
    const r = await meshperf([
      `${server.url}/`,
      '-c',
      '2',
      '--threads',
      '2',
      '-n',
      '40',
      '-o',
      'json',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.statusCodes).toEqual({ '200': 40 });
    expect(json.config).toMatchObject({ engine: 'net', threads: 2 });
    expect(server.arrivals).toHaveLength(40);
  });
});
