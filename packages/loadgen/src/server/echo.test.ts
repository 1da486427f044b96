import http from 'node:http';
import http2 from 'node:http2';
import { spawn } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { runLoad } from '../run';
import { startEchoServer, type EchoServer } from './echo';

jest.setTimeout(60_000);

const BIN = resolve(__dirname, '../../bin/meshperf');

function get(
  port: number,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: any }> {
  return new Promise((done, fail) => {
    http
      .get({ host: '127.0.0.1', port, path, headers, agent: false }, res => {
        let text = '';
        res.on('data', c => (text += c));
        res.on('end', () =>
          done({ status: res.statusCode ?? 0, body: JSON.parse(text) }),
        );
      })
      .on('error', fail);
  });
}

function freePort(): Promise<number> {
  return new Promise(done => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => done(port));
    });
  });
}

describe('echo server', () => {
  let server: EchoServer;
  beforeAll(async () => {
    server = await startEchoServer({
      port: 0,
      host: '127.0.0.1',
      name: 'echo-1',
    });
  });
  afterAll(() => server.close());

  it('describes the request it got over HTTP/1.1', async () => {
    const r = await get(server.port, '/hello?x=1', { 'x-run': '42' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      name: 'echo-1',
      method: 'GET',
      path: '/hello',
      query: { x: '1' },
      protocol: 'HTTP/1.1',
      host: `127.0.0.1:${server.port}`,
      status: 200,
    });
    expect(r.body.headers['x-run']).toBe('42');
  });

  it('answers prior-knowledge h2c on the same port', async () => {
    const session = http2.connect(`http://127.0.0.1:${server.port}`);
    const body = await new Promise<any>((done, fail) => {
      const req = session.request({ ':path': '/h2' });
      let text = '';
      req.on('data', c => (text += c));
      req.on('end', () => done(JSON.parse(text)));
      req.on('error', fail);
      req.end();
    });
    session.close();
    expect(body).toMatchObject({ path: '/h2', protocol: 'HTTP/2.0' });
  });

  it('applies ?status and ?delay, and /healthz answers', async () => {
    expect((await get(server.port, '/?status=503')).status).toBe(503);
    const t0 = Date.now();
    const r = await get(server.port, '/?delay=150ms');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
    expect(r.body.delayMs).toBe(150);
    expect(await get(server.port, '/healthz')).toEqual({
      status: 200,
      body: { status: 'ok', name: 'echo-1' },
    });
  });

  it('answers 400 naming a bad knob', async () => {
    const r = await get(server.port, '/?status=abc');
    expect(r.status).toBe(400);
    expect(r.body.error).toMatch(/invalid status "abc"/);
  });

  it('serves a status with a probability: about the share asked for', async () => {
    const result = await runLoad({
      targets: [{ url: `http://127.0.0.1:${server.port}/?status=503:30` }],
      connections: 4,
      count: 1000,
    });
    const bad = result.statusCodes['503'] ?? 0;
    expect(result.requests.total).toBe(1000);
    expect(bad).toBeGreaterThan(200);
    expect(bad).toBeLessThan(400);
    expect(result.statusCodes['200']).toBe(1000 - bad);
  });

  it('is the target of a meshperf run over h2c', async () => {
    const result = await runLoad({
      targets: [{ url: `http://127.0.0.1:${server.port}/` }],
      connections: 1,
      pipelining: 4,
      http2: true,
      count: 100,
    });
    expect(result.statusCodes).toEqual({ '200': 100 });
  });
});

describe('meshperf server (the command)', () => {
  it('listens on the port KUBE_SIM_PORT_MAP maps --port to, and stops on SIGTERM', async () => {
    const port = await freePort();
    const child = spawn(
      process.execPath,
      [BIN, 'server', '--port', '8080', '--host', '127.0.0.1'],
      { env: { ...process.env, KUBE_SIM_PORT_MAP: `8080=${port}` } },
    );
    let stdout = '';
    child.stdout.on('data', c => (stdout += c));
    const exited = new Promise<number | null>(done => child.on('close', done));
    for (let i = 0; i < 200 && !stdout.includes('listening'); i++)
      await new Promise(r => setTimeout(r, 50));
    expect(stdout).toContain(`listening on 127.0.0.1:${port}`);
    expect((await get(port, '/healthz')).status).toBe(200);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stdout).toMatch(/stopped after 1 requests/);
  });

  it('exits 2 on a bad port', async () => {
    const child = spawn(process.execPath, [BIN, 'server', '--port', 'x']);
    let stderr = '';
    child.stderr.on('data', c => (stderr += c));
    const code = await new Promise(done => child.on('close', done));
    expect(code).toBe(2);
    expect(stderr).toMatch(/invalid port "x"/);
  });
});
