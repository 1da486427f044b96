import { startEchoServer, type EchoServer } from '@meshstage/loadgen';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// The real bin, as a pipeline runs it, against a real HTTP server. Node start-ups (from sources
// when the bundle is stale) take seconds on a loaded machine.
jest.setTimeout(120_000);

const ROOT = path.resolve(__dirname, '../../..');
const BIN = path.join(ROOT, 'packages/cli/bin/meshstage');

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

let dir: string;
let server: EchoServer;
let url: string;
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'meshstage-bench-'));
  server = await startEchoServer({ port: 0, host: '127.0.0.1' });
  url = `http://127.0.0.1:${server.port}/`;
  // Records the modules a run loaded, to see what each command pulls in.
  fs.writeFileSync(
    path.join(dir, 'loaded.cjs'),
    `process.on('exit', () => require('fs').writeFileSync(${JSON.stringify(
      path.join(dir, 'loaded.json'),
    )}, JSON.stringify(Object.keys(require.cache))));\n`,
  );
});
afterAll(async () => {
  await server?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

function meshstage(args: string[], nodeArgs: string[] = []): Promise<Ran> {
  const env = { ...process.env };
  delete env.INIT_CWD;
  delete env.PROJECT_CWD;
  delete env.npm_package_name;
  return new Promise(done => {
    const child = spawn(process.execPath, [...nodeArgs, BIN, ...args], {
      cwd: dir,
      env,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', c => (stdout += c));
    child.stderr.on('data', c => (stderr += c));
    child.on('close', code => done({ code: code ?? -1, stdout, stderr }));
  });
}

/** The modules a command loaded (bundle files or, from sources, every source file). */
async function modulesLoadedBy(args: string[]): Promise<string[]> {
  fs.rmSync(path.join(dir, 'loaded.json'), { force: true });
  await meshstage(args, ['--require', path.join(dir, 'loaded.cjs')]);
  return JSON.parse(fs.readFileSync(path.join(dir, 'loaded.json'), 'utf8'));
}

const loadGenerator = (files: string[]) =>
  files.filter(f =>
    /meshstage-bench\.cjs$|packages\/loadgen\/|node_modules\/undici\//.test(f),
  );

function writeProfile(name: string, text: string): string {
  fs.writeFileSync(path.join(dir, name), text);
  return name;
}

describe('meshstage bench', () => {
  it('is listed beside validate in the help', async () => {
    const r = await meshstage(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ {2}validate {3}validate service-mesh/m);
    expect(r.stdout).toMatch(
      /^ {2}bench {6}send load to HTTP or gRPC targets/m,
    );
    const bench = await meshstage(['bench', '--help']);
    expect(bench.code).toBe(0);
    // meshperf's options, thresholds among them.
    expect(bench.stdout).toContain('--max-error-rate <pct>');
    expect(bench.stdout).toContain('--profile <file>');
  });

  it('validating files never loads the load generator; bench does', async () => {
    const validate = await modulesLoadedBy([
      'validate',
      path.join(ROOT, 'examples/broken/10-mesh.yaml'),
      '--fail-on',
      'never',
    ]);
    expect(validate.length).toBeGreaterThan(0);
    expect(loadGenerator(validate)).toEqual([]);
    const bench = await modulesLoadedBy(['bench', '--help']);
    expect(loadGenerator(bench).length).toBeGreaterThan(0);
  });

  it('writes meshperf JSON on stdout and passes a threshold the run meets', async () => {
    const r = await meshstage([
      'bench',
      url,
      '-c',
      '2',
      '-n',
      '60',
      '--max-error-rate',
      '0',
      '-o',
      'json',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.kind).toBe('meshperf-result');
    expect(result.requests).toMatchObject({ total: 60, failed: 0 });
    expect(result.statusCodes).toEqual({ '200': 60 });
    // Without --engine, meshperf's choice for plain http://, and the result says so.
    expect(result.config.engine).toBe('net');
  });

  it('writes fortio JSON to --output-file and the text summary to stdout, and fails on 500s', async () => {
    const r = await meshstage([
      'bench',
      `${url}?status=500`,
      '-n',
      '40',
      '--max-error-rate',
      '1%',
      '-o',
      'fortio',
      '--output-file',
      'fortio.json',
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'meshstage: threshold --max-error-rate 1% broken: measured error rate 100% (40 of 40)\n',
    );
    expect(r.stdout).toMatch(/^Status +500: 40$/m);
    const fortio = JSON.parse(
      fs.readFileSync(path.join(dir, 'fortio.json'), 'utf8'),
    );
    expect(fortio.RetCodes).toEqual({ '500': 40 });
    expect(fortio.DurationHistogram.Count).toBe(40);
  });

  it('runs a profile file, holding it to its own thresholds unless a flag overrides one', async () => {
    const profile = writeProfile(
      'failing.yaml',
      [
        'name: error budget',
        'endpoints:',
        `  - url: ${url}?status=503`,
        '    headers: { x-bench: ci }',
        'connections: 2',
        'requestCount: 30',
        'thresholds:',
        '  maxErrorRate: 0.01',
        '',
      ].join('\n'),
    );
    const held = await meshstage(['bench', '--profile', profile, '-o', 'smp']);
    expect(held.code).toBe(1);
    expect(held.stderr).toBe(
      'meshstage: threshold --max-error-rate 1% broken: measured error rate 100% (30 of 30)\n',
    );
    const smp = JSON.parse(held.stdout);
    expect(smp.detailed_results).toMatchObject({
      requests_total: 30,
      status_503: 30,
    });
    expect(smp.config.clients[0]).toMatchObject({
      connections: 2,
      endpoint_urls: [`${url}?status=503`],
    });

    const relaxed = await meshstage([
      'bench',
      '--profile',
      profile,
      '--max-error-rate',
      '100%',
    ]);
    expect(relaxed.stderr).toBe('');
    expect(relaxed.code).toBe(0);
    expect(relaxed.stdout).toMatch(/^Requests +30 in /m);
  });

  it('exits 2 with one line naming the file, line and field of a bad profile, before sending anything', async () => {
    const before = server.served;
    const profile = writeProfile(
      'bad.yaml',
      `name: typo\nendpoints:\n  - url: ${url}\nconnections: four\n`,
    );
    const r = await meshstage(['bench', '--profile', profile]);
    expect(r).toEqual({
      code: 2,
      stdout: '',
      stderr:
        "meshstage: bad.yaml:4:1: profile field 'connections': Expected number, received string\n",
    });
    expect(server.served).toBe(before);
  });

  it('stops the load on SIGTERM (a cancelled job) and still reports what completed', async () => {
    const env = { ...process.env };
    delete env.INIT_CWD;
    const child = spawn(
      process.execPath,
      [BIN, 'bench', url, '-c', '2', '-R', '50', '-d', '10m', '-o', 'json'],
      { cwd: dir, env },
    );
    let stdout = '';
    child.stdout.on('data', c => (stdout += c));
    // Signal once requests are being answered, so there is something to report.
    const before = server.served;
    while (server.served < before + 5)
      await new Promise(r => setTimeout(r, 100));
    child.kill('SIGTERM');
    const code = await new Promise(r => child.on('close', r));
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result.requests.total).toBeGreaterThan(0);
    expect(result.durationMs).toBeLessThan(600_000);
  });

  it('exits 2 with one line on bad usage', async () => {
    for (const args of [
      ['bench'],
      ['bench', url, '--max-p99', 'fast'],
      ['bench', url, '-n', '10', '--output-file', 'no/such/dir/r.json'],
      ['bench', '--profile', 'missing.yaml'],
    ]) {
      const r = await meshstage(args);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^meshstage: [^\n]+\n$/);
    }
  });
});
