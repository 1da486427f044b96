import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { runLoad } from './run';
import { OptionsError } from './options';
import { decodeHistogram } from './stats/histogram';
import { NetTransport } from './transport/net';
import {
  closedPort,
  startHttpServer,
  type TestServer,
} from './__testUtils__/servers';
import { okResponse, startRawServer } from './__testUtils__/rawServer';
import type { LoadOptions } from './types';

jest.setTimeout(60_000);

let server: TestServer;
beforeEach(async () => {
  server = await startHttpServer();
});
afterEach(async () => {
  await server.close();
});

const net = (o: LoadOptions) => runLoad({ ...o, engine: 'net' });

/** A node:http server on a free port, closed after the test. */
async function httpServer(handler: http.RequestListener) {
  const srv = http.createServer(handler);
  srv.keepAliveTimeout = 60_000;
  await new Promise<void>(ok => srv.listen(0, '127.0.0.1', ok));
  const port = (srv.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => {
      srv.closeAllConnections();
      return new Promise(ok => srv.close(ok));
    },
  };
}

describe('runLoad with engine net', () => {
  it('gives results shaped exactly like the undici engine', async () => {
    const options: LoadOptions = {
      targets: [
        { url: `${server.url}/`, weight: 3 },
        { url: `${server.url}/status/503`, weight: 1 },
      ],
      connections: 4,
      count: 200,
    };
    const viaUndici = await runLoad(options);
    const undiciArrivals = server.arrivals.length;
    server.arrivals.length = 0;
    const viaNet = await net(options);
    // The server counted exactly what meshperf reports.
    expect(server.arrivals).toHaveLength(200);
    expect(undiciArrivals).toBe(200);
    expect(viaNet.requests).toEqual({
      ...viaUndici.requests,
      perSecond: viaNet.requests.perSecond,
    });
    expect(viaNet.statusCodes).toEqual({ '200': 150, '503': 50 });
    expect(viaNet.statusCodes).toEqual(viaUndici.statusCodes);
    expect(viaNet.errors).toEqual(viaUndici.errors);
    expect(viaNet.targetCounts).toEqual(viaUndici.targetCounts);
    // The net engine counts the header bytes on the wire; undici's are
    // estimated with a fixed 17-byte status line ("HTTP/1.1 200 OK\r\n"), so
    // only the longer "503 Service Unavailable" lines differ (by 17 bytes each).
    expect(viaNet.bytes.sent).toBe(viaUndici.bytes.sent);
    expect(viaNet.bytes.received - viaNet.bytes.headers).toBe(
      viaUndici.bytes.received - viaUndici.bytes.headers,
    );
    expect(viaNet.bytes.headers - viaUndici.bytes.headers).toBe(50 * 17);
    expect(viaNet.config).toEqual(viaUndici.config);
    expect(Object.keys(viaNet).sort()).toEqual(Object.keys(viaUndici).sort());
    expect(decodeHistogram(viaNet.histogram.data).totalCount).toBe(200);
  });

  it('runs a duration in max mode with the server count matching', async () => {
    // Delayed responses keep this light: jest runs other timing-sensitive suites alongside.
    const r = await net({
      targets: [{ url: `${server.url}/delay/5` }],
      connections: 8,
      durationMs: 500,
    });
    expect(r.requests.total).toBeGreaterThan(0);
    expect(r.errors.total).toBe(0);
    // Requests still in flight at the end are not counted, but reached the server.
    expect(server.arrivals.length).toBeGreaterThanOrEqual(r.requests.total);
    expect(server.arrivals.length).toBeLessThanOrEqual(r.requests.total + 8);
  });

  it('sends every request of a constant-rate run', async () => {
    // Schedule accuracy: engine.test.ts (virtual time) and bench:loadgen (measured). A count,
    // so a generator starved of CPU still sends them all.
    const r = await net({
      targets: [{ url: `${server.url}/` }],
      connections: 10,
      rate: 400,
      count: 600,
    });
    expect(r.requests.total).toBe(600);
    expect(server.arrivals).toHaveLength(600);
    expect(r.timeSeries.reduce((sum, s) => sum + s.requests, 0)).toBe(600);
    expect(r.config).toMatchObject({ mode: 'rate', requestedRps: 400 });
  });

  it('splits the load across worker threads', async () => {
    const r = await net({
      targets: [{ url: `${server.url}/` }],
      connections: 4,
      threads: 2,
      count: 300,
    });
    expect(r.requests.total).toBe(300);
    expect(r.requests.ok).toBe(300);
    expect(server.arrivals).toHaveLength(300);
    expect(r.config.threads).toBe(2);
  });

  it('classifies refused connections', async () => {
    const port = await closedPort();
    const r = await net({
      targets: [{ url: `http://127.0.0.1:${port}/` }],
      connections: 2,
      count: 20,
    });
    expect(r.requests.total).toBe(20);
    expect(r.errors).toMatchObject({ refused: 20, total: 20 });
  });

  it('times out hung requests and replaces their connections', async () => {
    const t = await net({
      targets: [{ url: `${server.url}/hang` }],
      connections: 2,
      count: 4,
      timeoutMs: 150,
    });
    expect(t.errors).toMatchObject({ timeout: 4, total: 4 });
    // two rounds of 150 ms timeouts on 2 connections
    expect(t.durationMs).toBeGreaterThanOrEqual(290);

    // Every second request is held for 3 s: those time out (after 1 s), and
    // the request after each on a fresh connection succeeds. The timeout is
    // far above what a fast answer can take on a loaded machine.
    server.arrivals.length = 0;
    const r = await net({
      targets: [{ url: `${server.url}/alternate/3000` }],
      connections: 1,
      count: 6,
      timeoutMs: 1000,
    });
    expect(r.requests.total).toBe(6);
    expect(r.errors).toMatchObject({ timeout: 3, total: 3 });
    expect(r.requests.ok).toBe(3);
  });

  it('reports a reset when the server drops the connection', async () => {
    const r = await net({
      targets: [{ url: `${server.url}/reset` }],
      connections: 2,
      count: 6,
    });
    expect(r.errors).toMatchObject({ reset: 6, total: 6 });
  });

  it('reconnects transparently after Connection: close', async () => {
    const raw = await startRawServer((socket, req) => {
      socket.write(okResponse('hi', 'Connection: close\r\n'));
      if (req.index === 0) socket.end();
    });
    try {
      const r = await net({
        targets: [{ url: `${raw.url}/` }],
        connections: 2,
        count: 30,
      });
      expect(r.requests.ok).toBe(30);
      expect(r.errors.total).toBe(0);
      expect(raw.requests).toHaveLength(30);
      expect(raw.connections).toBe(30);
    } finally {
      await raw.close();
    }
  });

  it('fails in-flight requests as reset when the server closes, then reconnects', async () => {
    // Every connection is closed after its third response; with pipelining
    // the requests written behind it are lost.
    const raw = await startRawServer((socket, req) => {
      if (req.index < 3) socket.write(okResponse());
      if (req.index === 2) socket.end();
    });
    try {
      const r = await net({
        targets: [{ url: `${raw.url}/` }],
        connections: 1,
        pipelining: 2,
        count: 40,
      });
      expect(r.requests.total).toBe(40);
      expect(r.errors.total).toBe(r.errors.reset);
      expect(r.errors.reset).toBeGreaterThan(0);
      expect(r.requests.ok).toBeGreaterThanOrEqual(20);
      expect(r.statusCodes['200']).toBe(r.requests.ok);
    } finally {
      await raw.close();
    }
  });

  it('counts a truncated response as a reset and a malformed one as other', async () => {
    const raw = await startRawServer((socket, req) => {
      if (req.head.startsWith('GET /cut'))
        socket.end('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc');
      else socket.write('HTTP/1.1 2xx bogus\r\n\r\n');
    });
    try {
      const cut = await net({
        targets: [{ url: `${raw.url}/cut` }],
        connections: 1,
        count: 3,
      });
      expect(cut.errors).toMatchObject({ reset: 3, total: 3 });
      const bad = await net({
        targets: [{ url: `${raw.url}/bad` }],
        connections: 1,
        count: 3,
      });
      expect(bad.errors).toMatchObject({ other: 3, total: 3 });
    } finally {
      await raw.close();
    }
  });

  it('reads a body that runs until the server closes', async () => {
    const raw = await startRawServer(socket =>
      socket.end('HTTP/1.1 200 OK\r\n\r\nthe body ends with the connection'),
    );
    try {
      const r = await net({
        targets: [{ url: `${raw.url}/` }],
        connections: 1,
        count: 5,
      });
      expect(r.requests.ok).toBe(5);
      expect(r.bytes.received - r.bytes.headers).toBe(5 * 33);
    } finally {
      await raw.close();
    }
  });

  it('reads chunked responses', async () => {
    const srv = await httpServer((_req, res) => {
      res.write('first chunk,');
      setImmediate(() => res.end('second chunk'));
    });
    try {
      const r = await net({
        targets: [{ url: `${srv.url}/` }],
        connections: 2,
        count: 50,
      });
      expect(r.requests.ok).toBe(50);
      expect(r.errors.total).toBe(0);
      // Body plus chunk framing.
      expect(r.bytes.received - r.bytes.headers).toBeGreaterThan(50 * 24);
    } finally {
      await srv.close();
    }
  });

  it('sends method, headers and a body with its Content-Length', async () => {
    const seen: {
      method?: string;
      header?: string;
      length?: string;
      body: string;
    }[] = [];
    const srv = await httpServer((req, res) => {
      let body = '';
      req.on('data', c => (body += c));
      req.on('end', () => {
        seen.push({
          method: req.method,
          header: req.headers['x-test'] as string,
          length: req.headers['content-length'],
          body,
        });
        res.end();
      });
    });
    try {
      const r = await net({
        targets: [
          {
            url: `${srv.url}/x`,
            method: 'put',
            headers: { 'x-test': 'yes' },
            body: 'hello',
          },
        ],
        connections: 1,
        count: 3,
      });
      expect(r.requests.ok).toBe(3);
      expect(r.bytes.sent).toBe(15);
      expect(seen).toEqual(
        Array(3).fill({
          method: 'PUT',
          header: 'yes',
          length: '5',
          body: 'hello',
        }),
      );
      // POST from a body alone, several in flight per connection.
      seen.length = 0;
      const post = await net({
        targets: [{ url: `${srv.url}/x`, body: Buffer.from('{"a":1}') }],
        connections: 2,
        pipelining: 4,
        count: 40,
      });
      expect(post.requests.ok).toBe(40);
      expect(seen).toHaveLength(40);
      expect(seen.every(s => s.method === 'POST' && s.body === '{"a":1}')).toBe(
        true,
      );
    } finally {
      await srv.close();
    }
  });

  it('expects no body after a HEAD request', async () => {
    const r = await net({
      targets: [{ url: `${server.url}/`, method: 'HEAD' }],
      connections: 2,
      count: 20,
    });
    expect(r.requests.ok).toBe(20);
    expect(r.bytes.received).toBe(r.bytes.headers);
  });

  it('pipelines requests on one connection, responses in order', async () => {
    let outstanding = 0;
    let maxOutstanding = 0;
    const raw = await startRawServer((socket, req) => {
      outstanding++;
      maxOutstanding = Math.max(maxOutstanding, outstanding);
      // Answer each in order after a short delay, so requests pile up.
      const path = /^GET (\S+)/.exec(req.head)![1];
      setTimeout(() => {
        outstanding--;
        socket.write(okResponse(path));
      }, 2);
    });
    try {
      const r = await net({
        targets: [{ url: `${raw.url}/a` }, { url: `${raw.url}/bb` }],
        connections: 1,
        pipelining: 8,
        count: 400,
      });
      expect(r.requests.ok).toBe(400);
      expect(raw.connections).toBe(1);
      expect(maxOutstanding).toBe(8);
      // Each target's response was matched to its own request (bodies differ).
      expect(r.bytes.received - r.bytes.headers).toBe(200 * 2 + 200 * 3);
    } finally {
      await raw.close();
    }
  });

  it('follows --resolve pins, keeping the Host header', async () => {
    const hosts: string[] = [];
    const srv = await httpServer((req, res) => {
      hosts.push(String(req.headers.host));
      res.end('ok');
    });
    try {
      const port = new URL(srv.url).port;
      const r = await net({
        targets: [{ url: 'http://echo.bench.svc.cluster.local:8080/' }],
        resolve: [`echo.bench.svc.cluster.local:8080:127.0.0.1:${port}`],
        connections: 2,
        count: 10,
      });
      expect(r.requests.ok).toBe(10);
      expect(new Set(hosts)).toEqual(
        new Set(['echo.bench.svc.cluster.local:8080']),
      );
    } finally {
      await srv.close();
    }
  });

  it('refuses what it cannot speak', async () => {
    const https = runLoad({ targets: [{ url: 'https://x/' }], engine: 'net' });
    await expect(https).rejects.toThrow(OptionsError);
    await expect(https).rejects.toThrow(/TLS/);
    await expect(
      runLoad({ targets: [{ url: 'http://x/' }], engine: 'net', http2: true }),
    ).rejects.toThrow(/HTTP\/2/);
    await expect(
      runLoad({ targets: [{ url: 'x:50051' }], engine: 'net', grpc: {} }),
    ).rejects.toThrow(/gRPC/);
    await expect(
      runLoad({ targets: [{ url: 'http://x/' }], engine: 'curl' as never }),
    ).rejects.toThrow(/unknown engine/);
  });
});

describe('NetTransport', () => {
  it('never completes synchronously from send, and fails everything after close', async () => {
    const port = await closedPort();
    const t = new NetTransport({
      targets: [{ url: `http://127.0.0.1:${port}/` }],
      connections: 1,
      timeoutMs: 1000,
    });
    await t.prepare();
    const calls: string[] = [];
    const first = new Promise<void>(done =>
      t.send(0, 0, (_s, _ok, _r, error) => {
        calls.push(`first ${error}`);
        done();
      }),
    );
    expect(calls).toEqual([]);
    await first;
    expect(calls).toEqual(['first refused']);
    await t.close();
    t.send(0, 0, (_s, _ok, _r, error) => calls.push(`after close ${error}`));
    expect(calls).toHaveLength(1);
    await new Promise(r => setImmediate(r));
    expect(calls).toEqual(['first refused', 'after close other']);
  });
});
