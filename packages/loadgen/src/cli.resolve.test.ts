import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

jest.setTimeout(60_000);

const BIN = resolve(__dirname, '../bin/meshperf');

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

describe('meshperf --resolve', () => {
  let server: http.Server;
  let port: number;
  const hosts: string[] = [];
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      hosts.push(String(req.headers.host));
      res.end('ok');
    });
    await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise(r => server.close(r)));
  beforeEach(() => {
    hosts.length = 0;
  });

  it('sends requests for a cluster DNS name to the pinned address, keeping the Host header', async () => {
    const r = await meshperf([
      'http://echo.bench.svc.cluster.local:8080/',
      '--resolve',
      `echo.bench.svc.cluster.local:8080:127.0.0.1:${port}`,
      '-c',
      '2',
      '-n',
      '20',
      '-o',
      'json',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).statusCodes).toEqual({ '200': 20 });
    expect(new Set(hosts)).toEqual(
      new Set(['echo.bench.svc.cluster.local:8080']),
    );
  });

  it('reads comma-separated pins from MESHPERF_RESOLVE; a flag for the same host wins', async () => {
    const r = await meshperf(
      ['http://echo:8080/', '-n', '5', '-c', '1', '-o', 'json'],
      {
        MESHPERF_RESOLVE: `other:80:127.0.0.1:1,echo:8080:127.0.0.1:${port}`,
      },
    );
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).statusCodes).toEqual({ '200': 5 });
    expect(hosts[0]).toBe('echo:8080');

    const pinned = await meshperf(
      [
        'http://echo:8080/',
        '-n',
        '5',
        '-c',
        '1',
        '-o',
        'json',
        '--resolve',
        `echo:8080:127.0.0.1:${port}`,
      ],
      { MESHPERF_RESOLVE: 'echo:8080:127.0.0.1:1' },
    );
    expect(JSON.parse(pinned.stdout).statusCodes).toEqual({ '200': 5 });
  });

  it('exits 2 on a malformed pin', async () => {
    const r = await meshperf(['http://echo:8080/', '--resolve', 'echo:8080']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^meshperf: invalid --resolve "echo:8080"/);
  });
});
