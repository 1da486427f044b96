/**
 * @jest-environment node
 */
import http from 'node:http';
import { AddressInfo } from 'node:net';
import type {
  EntityFindings,
  ScanSummary,
} from '@meshstage/plugin-mesh-common';
import { MeshClient } from './MeshClient';

const scan: ScanSummary = {
  id: '5d0c8a2e-7f41-4b6a-9c3d-2e8f1a6b7c90',
  cluster: 'dev',
  trigger: 'manual',
  status: 'succeeded',
  startedAt: '2026-12-01T10:00:00.000Z',
  finishedAt: '2026-12-01T10:00:02.000Z',
  previousScanId: 'c41e9b07-3a5d-4f28-8e61-9b2d7f0a4c13',
  meshes: ['istio'],
  summary: { error: 1, warning: 0, info: 0, suppressed: 0 },
  new: 1,
  fixed: 0,
};

const entityFindings: EntityFindings = {
  entityRef: 'component:default/product page',
  clusters: [{ cluster: 'dev', scan, findings: [], fixed: [] }],
  codes: [],
};

// A real HTTP server standing in for the mesh backend's validation routes.
describe('ValidationClient (through MeshClient)', () => {
  let server: http.Server;
  let baseUrl: string;
  const requests: {
    method: string;
    url: string;
    auth?: string;
    type?: string;
    body: string;
  }[] = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', chunk => {
        body += chunk;
      });
      req.on('end', () => {
        requests.push({
          method: req.method!,
          url: req.url!,
          auth: req.headers.authorization,
          type: req.headers['content-type'],
          body,
        });
        res.setHeader('content-type', 'application/json');
        const url = req.url ?? '';
        if (
          url === '/api/mesh/entity/component/default/product%20page/findings'
        ) {
          res.end(JSON.stringify(entityFindings));
        } else if (url === '/api/mesh/entity/component/default/nope/findings') {
          res.statusCode = 404;
          res.end(
            JSON.stringify({
              error: {
                name: 'NotFoundError',
                message: 'No entity component:default/nope in the catalog',
              },
              response: { statusCode: 404 },
            }),
          );
        } else if (
          url === '/api/mesh/validation/scans' &&
          req.method === 'POST'
        ) {
          const { cluster } = JSON.parse(body);
          if (cluster === 'dev') {
            res.statusCode = 201;
            res.end(JSON.stringify(scan));
          } else {
            res.statusCode = 403;
            res.end(
              JSON.stringify({
                error: {
                  name: 'NotAllowedError',
                  message: 'mesh.validation.scan is denied',
                },
                response: { statusCode: 403 },
              }),
            );
          }
        } else if (url.startsWith('/api/mesh/validation/scans/')) {
          res.end(JSON.stringify({ scan, findings: [], fixed: [] }));
        } else if (url.startsWith('/api/mesh/validation/scans')) {
          res.end(JSON.stringify({ items: [scan] }));
        } else if (url.startsWith('/api/mesh/validation/findings')) {
          res.end(
            JSON.stringify({
              items: [{ cluster: 'dev', scan: null, findings: [] }],
            }),
          );
        } else {
          res.statusCode = 500;
          res.end('{}');
        }
      });
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
            headers: { ...init?.headers, authorization: 'Bearer user-token' },
          }),
      },
    });

  it("reads an entity's findings with the user token, encoding the ref", async () => {
    await expect(
      client().getEntityFindings({
        kind: 'component',
        namespace: 'default',
        name: 'product page',
      }),
    ).resolves.toEqual(entityFindings);
    expect(requests.at(-1)).toMatchObject({
      method: 'GET',
      url: '/api/mesh/entity/component/default/product%20page/findings',
      auth: 'Bearer user-token',
    });
  });

  it('surfaces a backend error with its message', async () => {
    await expect(
      client().getEntityFindings({
        kind: 'component',
        namespace: 'default',
        name: 'nope',
      }),
    ).rejects.toMatchObject({
      name: 'ResponseError',
      statusCode: 404,
      body: {
        error: { message: 'No entity component:default/nope in the catalog' },
      },
    });
  });

  it('starts a scan with a JSON body and returns the stored scan', async () => {
    await expect(client().scanCluster('dev')).resolves.toEqual(scan);
    expect(requests.at(-1)).toMatchObject({
      method: 'POST',
      url: '/api/mesh/validation/scans',
      type: 'application/json',
      body: '{"cluster":"dev"}',
      auth: 'Bearer user-token',
    });
    await expect(client().scanCluster('prod')).rejects.toMatchObject({
      statusCode: 403,
      body: { error: { message: 'mesh.validation.scan is denied' } },
    });
  });

  it('lists latest findings and scans with their filters as query parameters', async () => {
    await expect(client().getLatestFindings()).resolves.toEqual([
      { cluster: 'dev', scan: null, findings: [] },
    ]);
    expect(requests.at(-1)?.url).toBe('/api/mesh/validation/findings');
    await client().getLatestFindings({ cluster: 'dev', severity: 'error' });
    expect(requests.at(-1)?.url).toBe(
      '/api/mesh/validation/findings?cluster=dev&severity=error',
    );
    await expect(
      client().listScans({ cluster: 'dev', limit: 2 }),
    ).resolves.toEqual([scan]);
    expect(requests.at(-1)?.url).toBe(
      '/api/mesh/validation/scans?cluster=dev&limit=2',
    );
    await expect(client().getScan(scan.id)).resolves.toEqual({
      scan,
      findings: [],
      fixed: [],
    });
    expect(requests.at(-1)?.url).toBe(
      '/api/mesh/validation/scans/5d0c8a2e-7f41-4b6a-9c3d-2e8f1a6b7c90',
    );
  });
});
