import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { runLoad } from '../run';
import {
  ForbiddenTargetError,
  guardTargets,
  type LookupAll,
} from './guardTargets';

/** A resolver answering from a table, as a DNS server under someone's control would. */
const table =
  (answers: Record<string, string[]>): LookupAll =>
  async host => {
    const a = answers[host];
    if (!a) throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
    return a;
  };

describe('guardTargets', () => {
  it('refuses a name that resolves to the metadata address, naming both', async () => {
    await expect(
      guardTargets([{ url: 'http://innocent.example/' }], {
        lookup: table({ 'innocent.example': ['10.0.0.5', '169.254.169.254'] }),
      }),
    ).rejects.toThrow(
      'target http://innocent.example/ is refused: 169.254.169.254 (innocent.example resolves to it) is link-local (169.254.0.0/16)',
    );
  });

  it('refuses literal spellings and IPv4-mapped IPv6', async () => {
    for (const url of [
      'http://2852039166/latest/meta-data/',
      'http://[::ffff:a9fe:a9fe]/',
      'https://[fd00:ec2::254]/',
    ]) {
      await expect(guardTargets([{ url }])).rejects.toBeInstanceOf(
        ForbiddenTargetError,
      );
    }
  });

  it('refuses gRPC host:port targets and pins that point at forbidden addresses', async () => {
    await expect(
      guardTargets([{ url: 'metadata.internal:80' }], {
        grpc: true,
        lookup: table({ 'metadata.internal': ['169.254.169.254'] }),
      }),
    ).rejects.toThrow(/169\.254\.169\.254/);
    await expect(
      guardTargets([{ url: 'http://echo.demo:8080/' }], {
        resolve: { 'echo.demo:8080': { address: 'fe80::1', port: 8080 } },
      }),
    ).rejects.toThrow(/fe80::1 is link-local/);
  });

  it('pins each allowed host to the address it checked, IPv4 first', async () => {
    const pins = await guardTargets(
      [
        { url: 'http://echo.demo:8080/a' },
        { url: 'http://echo.demo:8080/b' },
        { url: 'https://api.example/' },
      ],
      {
        lookup: table({
          'echo.demo': ['10.1.2.3'],
          'api.example': ['2001:db8::7', '203.0.113.9'],
        }),
      },
    );
    expect(pins).toEqual({
      'echo.demo:8080': { address: '10.1.2.3', port: 8080 },
      'api.example:443': { address: '203.0.113.9', port: 443 },
    });
  });

  it('says when a name does not resolve', async () => {
    await expect(
      guardTargets([{ url: 'http://nowhere.example/' }], { lookup: table({}) }),
    ).rejects.toThrow(
      'cannot resolve nowhere.example (target http://nowhere.example/): ENOTFOUND',
    );
  });
});

describe('runLoad with denyLinkLocal', () => {
  let server: Server;
  let port: number;
  let hits = 0;
  beforeAll(async () => {
    server = createServer((_req, res) => {
      hits++;
      res.end('ok');
    });
    await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise(r => server.close(r)));

  it('refuses a metadata target before sending anything', async () => {
    await expect(
      runLoad({
        targets: [{ url: 'http://169.254.169.254/latest/meta-data/' }],
        count: 1,
        denyLinkLocal: true,
      }),
    ).rejects.toBeInstanceOf(ForbiddenTargetError);
  });

  it.each(['net', 'undici'] as const)(
    'runs against an allowed host through the pinned address (%s engine)',
    async engine => {
      const before = hits;
      const result = await runLoad({
        targets: [{ url: `http://localhost:${port}/` }],
        count: 5,
        connections: 1,
        engine,
        denyLinkLocal: true,
      });
      expect(result.requests.total).toBe(5);
      expect(hits - before).toBe(5);
    },
  );
});
