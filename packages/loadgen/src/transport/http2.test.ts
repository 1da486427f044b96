import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runLoad } from '../run';

jest.setTimeout(60_000);

/** A self-signed certificate for 127.0.0.1, made with the openssl CLI (node cannot issue X.509). */
function selfSignedCert(): { key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), 'meshperf-tls-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1,DNS:localhost',
      ],
      { stdio: 'ignore' },
    );
    return {
      key: readFileSync(join(dir, 'key.pem'), 'utf8'),
      cert: readFileSync(join(dir, 'cert.pem'), 'utf8'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function listen(
  server: http2.Http2Server | http2.Http2SecureServer,
): Promise<number> {
  return new Promise(resolve =>
    server.listen(0, '127.0.0.1', () =>
      resolve((server.address() as AddressInfo).port),
    ),
  );
}

function close(
  server: http2.Http2Server | http2.Http2SecureServer,
  sessions: Set<http2.ServerHttp2Session>,
) {
  for (const s of sessions) s.destroy();
  return new Promise(resolve => server.close(resolve));
}

describe('HTTP/2', () => {
  const versions: string[] = [];
  const handler = (
    req: http2.Http2ServerRequest,
    res: http2.Http2ServerResponse,
  ) => {
    versions.push(req.httpVersion);
    res.end('h2 ok');
  };
  beforeEach(() => {
    versions.length = 0;
  });

  it('runs over TLS with ALPN h2, trusting a given CA', async () => {
    const { key, cert } = selfSignedCert();
    const sessions = new Set<http2.ServerHttp2Session>();
    const server = http2.createSecureServer({ key, cert }, handler);
    server.on('session', s => sessions.add(s));
    const port = await listen(server);
    try {
      const r = await runLoad({
        targets: [{ url: `https://127.0.0.1:${port}/` }],
        http2: true,
        tls: { ca: cert },
        connections: 2,
        pipelining: 4,
        count: 100,
      });
      expect(r.statusCodes).toEqual({ '200': 100 });
      expect(r.config.protocol).toBe('h2');
      expect(new Set(versions)).toEqual(new Set(['2.0']));
      // Without the CA the certificate is rejected; --insecure accepts it.
      const untrusted = await runLoad({
        targets: [{ url: `https://127.0.0.1:${port}/` }],
        http2: true,
        connections: 1,
        count: 2,
      });
      expect(untrusted.errors.total).toBe(2);
      const insecure = await runLoad({
        targets: [{ url: `https://127.0.0.1:${port}/` }],
        http2: true,
        tls: { insecure: true },
        connections: 1,
        count: 5,
      });
      expect(insecure.statusCodes).toEqual({ '200': 5 });
    } finally {
      await close(server, sessions);
    }
  });

  it('runs cleartext h2c with prior knowledge', async () => {
    const sessions = new Set<http2.ServerHttp2Session>();
    const server = http2.createServer(handler);
    server.on('session', s => sessions.add(s));
    const port = await listen(server);
    try {
      const r = await runLoad({
        targets: [{ url: `http://127.0.0.1:${port}/` }],
        http2: true,
        connections: 2,
        rate: 200,
        count: 100,
      });
      expect(r.requests.total).toBe(100);
      expect(r.statusCodes).toEqual({ '200': 100 });
      expect(new Set(versions)).toEqual(new Set(['2.0']));
    } finally {
      await close(server, sessions);
    }
  });

  it('speaks HTTP/1.1 over TLS unless HTTP/2 is asked for', async () => {
    const { key, cert } = selfSignedCert();
    const sessions = new Set<http2.ServerHttp2Session>();
    const server = http2.createSecureServer(
      { key, cert, allowHTTP1: true },
      handler,
    );
    server.on('session', s => sessions.add(s));
    const port = await listen(server);
    try {
      const r = await runLoad({
        targets: [{ url: `https://127.0.0.1:${port}/` }],
        tls: { ca: cert },
        connections: 1,
        count: 5,
      });
      expect(r.statusCodes).toEqual({ '200': 5 });
      expect(new Set(versions)).toEqual(new Set(['1.1']));
    } finally {
      await close(server, sessions);
    }
  });
});
