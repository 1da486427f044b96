/**
 * @jest-environment node
 */
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { MeshClient } from './MeshClient';

// A real HTTP server standing in for the mesh backend, so the client's URLs, headers and error
// handling are exercised over the wire.
describe('MeshClient', () => {
  let server: http.Server;
  let baseUrl: string;
  const requests: { url: string; auth?: string }[] = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      requests.push({ url: req.url!, auth: req.headers.authorization });
      res.setHeader('content-type', 'application/json');
      if (req.url === '/api/mesh/adapters') {
        res.end(
          JSON.stringify({
            items: [
              {
                id: 'istio',
                displayName: 'Istio',
                supportedVersions: ['1.24.2'],
                lifecycle: true,
                sampleApps: [],
              },
            ],
          }),
        );
      } else if (req.url?.startsWith('/api/mesh/status')) {
        res.end(JSON.stringify({ items: [] }));
      } else if (
        req.url === '/api/mesh/entity/component/default/product%20page/status'
      ) {
        res.statusCode = 404;
        res.end(
          JSON.stringify({
            error: {
              name: 'NotFoundError',
              message: 'entity component:default/product page not found',
            },
            request: { method: 'GET', url: req.url },
            response: { statusCode: 404 },
          }),
        );
      } else {
        res.statusCode = 500;
        res.end('{}');
      }
    });
    await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
    baseUrl = `http://127.0.0.1:${
      (server.address() as AddressInfo).port
    }/api/mesh`;
  });
  afterAll(() => new Promise(r => server.close(r)));

  const client = () =>
    new MeshClient({
      discoveryApi: {
        getBaseUrl: async (id: string) => baseUrl.replace('/mesh', `/${id}`),
      },
      fetchApi: {
        fetch: (input: any, init?: any) =>
          fetch(input, {
            ...init,
            headers: { authorization: 'Bearer user-token' },
          }),
      },
    });

  it('lists adapters with the user token', async () => {
    await expect(client().getAdapters()).resolves.toEqual([
      {
        id: 'istio',
        displayName: 'Istio',
        supportedVersions: ['1.24.2'],
        lifecycle: true,
        sampleApps: [],
      },
    ]);
    expect(requests.at(-1)).toEqual({
      url: '/api/mesh/adapters',
      auth: 'Bearer user-token',
    });
  });

  it('passes status filters as query parameters', async () => {
    await client().getStatus({ cluster: 'dev', mesh: 'istio' });
    expect(requests.at(-1)?.url).toBe(
      '/api/mesh/status?cluster=dev&mesh=istio',
    );
    await client().getStatus();
    expect(requests.at(-1)?.url).toBe('/api/mesh/status');
  });

  it('encodes entity refs and surfaces backend errors with their message', async () => {
    await expect(
      client().getEntityStatus({
        kind: 'component',
        namespace: 'default',
        name: 'product page',
      }),
    ).rejects.toMatchObject({
      name: 'ResponseError',
      statusCode: 404,
      body: {
        error: { message: 'entity component:default/product page not found' },
      },
    });
  });
});
