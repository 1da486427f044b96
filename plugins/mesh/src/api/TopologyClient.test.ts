/**
 * @jest-environment node
 */
import http from 'node:http';
import { AddressInfo } from 'node:net';
import type { TopologyGraph } from '@meshstage/plugin-mesh-common';
import { MeshClient } from './MeshClient';

const graph: TopologyGraph = {
  scope: { entityRef: 'component:default/productpage', depth: 2 },
  nodes: [],
  edges: [],
  traffic: { source: 'none' },
  clusterErrors: [],
  generatedAt: '2026-12-02T10:00:00.000Z',
};

// A real HTTP server standing in for the mesh backend's topology route.
describe('TopologyClient (through MeshClient)', () => {
  let server: http.Server;
  let baseUrl: string;
  const requests: { url: string; auth?: string }[] = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      requests.push({ url: req.url!, auth: req.headers.authorization });
      if (req.url?.includes('cluster=broken')) {
        res.statusCode = 400;
        res.setHeader('content-type', 'application/json');
        res.end(
          JSON.stringify({
            error: { name: 'InputError', message: 'depth must be 1 to 5' },
            response: { statusCode: 400 },
          }),
        );
        return;
      }
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(graph));
    });
    await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise(r => server.close(r)));

  const client = () =>
    new MeshClient({
      discoveryApi: { getBaseUrl: async () => `${baseUrl}/api/mesh` },
      fetchApi: {
        fetch: (input, init) =>
          fetch(input, {
            ...init,
            headers: { ...init?.headers, Authorization: 'Bearer t' },
          }),
      },
    });

  beforeEach(() => {
    requests.length = 0;
  });

  it('asks for an entity with depth and window', async () => {
    const answer = await client().getTopology(
      { entityRef: 'component:default/productpage' },
      { depth: 2, window: '5m' },
    );
    expect(answer).toEqual(graph);
    expect(requests).toEqual([
      {
        url: '/api/mesh/topology?entity=component%3Adefault%2Fproductpage&depth=2&window=5m',
        auth: 'Bearer t',
      },
    ]);
  });

  it('asks for a cluster, optionally one namespace, with a limit', async () => {
    await client().getTopology({ cluster: 'dev' });
    await client().getTopology(
      { cluster: 'dev', namespace: 'bookinfo' },
      { limit: 500 },
    );
    expect(requests.map(r => r.url)).toEqual([
      '/api/mesh/topology?cluster=dev',
      '/api/mesh/topology?cluster=dev&namespace=bookinfo&limit=500',
    ]);
  });

  it("rejects with the backend's message", async () => {
    await expect(
      client().getTopology({ cluster: 'broken' }),
    ).rejects.toMatchObject({
      name: 'ResponseError',
      statusCode: 400,
      body: { error: { message: 'depth must be 1 to 5' } },
    });
  });
});
