import { spawn } from 'node:child_process';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startHttpServer, type TestServer } from './__testUtils__/servers';

jest.setTimeout(60_000);

const BIN = resolve(__dirname, '../bin/meshperf');

/** Runs the real `meshperf` bin (through Node, as `yarn meshperf` does). */
function meshperf(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise(done => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', c => (stdout += c));
    child.stderr.on('data', c => (stderr += c));
    child.on('close', code => done({ code: code ?? -1, stdout, stderr }));
  });
}

let server: TestServer;
beforeAll(async () => {
  server = await startHttpServer();
});
afterAll(async () => {
  await server.close();
});

describe('meshperf CLI', () => {
  it('writes one JSON object with the documented fields for --output json', async () => {
    const r = await meshperf([
      `${server.url}/`,
      '-c',
      '2',
      '-n',
      '50',
      '--output',
      'json',
    ]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const json = JSON.parse(r.stdout);
    expect(json.requests.total).toBe(50);
    expect(typeof json.requests.perSecond).toBe('number');
    for (const k of ['min', 'mean', 'p50', 'p90', 'p99', 'p999', 'max'])
      expect(typeof json.latencyMs[k]).toBe('number');
    expect(json.statusCodes).toEqual({ '200': 50 });
    expect(json.errors.total).toBe(0);
    // No --engine: plain http:// runs on the net engine, and the result says so.
    expect(json.config.engine).toBe('net');
  });

  it('reports the engine --engine chose, in JSON and in the text summary', async () => {
    const json = await meshperf([
      `${server.url}/`,
      '--engine',
      'undici',
      '-n',
      '10',
      '-o',
      'json',
    ]);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout).config.engine).toBe('undici');
    const text = await meshperf([`${server.url}/`, '-n', '10']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^Load .*, net engine$/m);
  });

  it('runs with --engine net, also on worker threads', async () => {
    server.arrivals.length = 0;
    const r = await meshperf([
      `${server.url}/`,
      '--engine',
      'net',
      '--threads',
      '2',
      '-c',
      '4',
      '-n',
      '100',
      '-o',
      'json',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.statusCodes).toEqual({ '200': 100 });
    expect(json.config).toMatchObject({
      threads: 2,
      protocol: 'http/1.1',
      engine: 'net',
    });
    expect(server.arrivals).toHaveLength(100);
  });

  it('exits 1 naming a broken threshold and the measured value; text goes to stdout', async () => {
    const r = await meshperf([
      `${server.url}/delay/20`,
      '-c',
      '2',
      '-n',
      '10',
      '--max-p99',
      '5ms',
      '--max-error-rate',
      '1%',
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Latency');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    const m =
      /^meshperf: threshold --max-p99 5\.00ms broken: measured p99 (\d+\.\d)ms\n$/.exec(
        r.stderr,
      );
    expect(Number(m?.[1])).toBeGreaterThanOrEqual(20);
  });

  it('exits 2 with a one-line reason on bad input, without a stack trace', async () => {
    for (const args of [
      [`${server.url}/`, '--bogus'],
      ['not a url'],
      [`${server.url}/`, '-d', '3x'],
      [`${server.url}/`, '-o', 'xml'],
      ['https://127.0.0.1:1/', '--engine', 'net'],
    ]) {
      const r = await meshperf(args);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^meshperf: [^\n]+\n$/);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('reads --body-file relative to INIT_CWD and writes fortio JSON', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'meshperf-cli-'));
    try {
      writeFileSync(join(dir, 'body.txt'), 'payload');
      const r = await meshperf(
        [
          `${server.url}/`,
          '-c',
          '1',
          '-n',
          '5',
          '--body-file',
          'body.txt',
          '-o',
          'fortio',
        ],
        {
          INIT_CWD: dir,
        },
      );
      expect(r.code).toBe(0);
      const f = JSON.parse(r.stdout);
      expect(f.RetCodes).toEqual({ '200': 5 });
      expect(f.DurationHistogram.Count).toBe(5);
      const missing = await meshperf(
        [`${server.url}/`, '--body-file', 'nope.txt'],
        { INIT_CWD: dir },
      );
      expect(missing.code).toBe(2);
      expect(missing.stderr).toMatch(
        /cannot read --body-file .*nope\.txt: ENOENT/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
