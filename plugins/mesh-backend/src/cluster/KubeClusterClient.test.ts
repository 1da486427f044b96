import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { kubeCollectionPath, kubeResources } from '@meshstage/plugin-mesh-node';
import { createKubeConfig } from './createKubeConfig';
import { KubeClusterClient } from './KubeClusterClient';

// A tiny stand-in API server, to pin down the client's HTTP behaviour (paging, 404s, errors,
// auth, timeouts) independently of any simulator.
async function startServer(
  handler: (req: http.IncomingMessage, res: http.ServerResponse) => void,
) {
  const server = http.createServer(handler);
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// Real local servers: jest's 5 s default is tight on a busy machine.
jest.setTimeout(60_000);

// The timeout only ends requests to a server that never answers; a generous default elsewhere.
function client(url: string, timeoutMs = 30_000) {
  const kc = createKubeConfig({
    name: 'dev',
    url,
    authProvider: 'serviceAccount',
    serviceAccountToken: 'sekret',
    skipTLSVerify: true,
  });
  return new KubeClusterClient({ name: 'dev', url }, kc, timeoutMs);
}

const json = (res: http.ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

describe('kubeCollectionPath', () => {
  it('addresses core and grouped resources, cluster-wide or in a namespace', () => {
    expect(kubeCollectionPath(kubeResources.pods)).toBe('/api/v1/pods');
    expect(kubeCollectionPath(kubeResources.deployments, 'istio-system')).toBe(
      '/apis/apps/v1/namespaces/istio-system/deployments',
    );
  });
});

describe('KubeClusterClient', () => {
  let server: Awaited<ReturnType<typeof startServer>> | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('reads the server version with the bearer token', async () => {
    const seen: Array<string | undefined> = [];
    server = await startServer((req, res) => {
      seen.push(req.headers.authorization);
      json(res, 200, { gitVersion: 'v1.31.4' });
    });
    await expect(client(server.url).serverVersion()).resolves.toBe('v1.31.4');
    expect(seen).toEqual(['Bearer sekret']);
  });

  it('lists across pages, with the label selector, filling in apiVersion and kind', async () => {
    const urls: string[] = [];
    server = await startServer((req, res) => {
      urls.push(req.url!);
      const url = new URL(req.url!, 'http://x');
      if (!url.searchParams.get('continue')) {
        json(res, 200, {
          kind: 'DeploymentList',
          metadata: { continue: 'page2' },
          items: [{ metadata: { name: 'a' } }],
        });
      } else {
        json(res, 200, {
          kind: 'DeploymentList',
          metadata: {},
          items: [{ metadata: { name: 'b' } }],
        });
      }
    });
    const items = await client(server.url).list(kubeResources.deployments, {
      namespace: 'istio-system',
      labelSelector: 'app=istiod',
    });
    expect(items).toEqual([
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'a' } },
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'b' } },
    ]);
    expect(urls).toEqual([
      '/apis/apps/v1/namespaces/istio-system/deployments?labelSelector=app%3Distiod&limit=500',
      '/apis/apps/v1/namespaces/istio-system/deployments?labelSelector=app%3Distiod&limit=500&continue=page2',
    ]);
  });

  it('lists a resource type the cluster does not serve as empty', async () => {
    server = await startServer((_req, res) =>
      json(res, 404, {
        kind: 'Status',
        message: 'the server could not find the requested resource',
      }),
    );
    await expect(
      client(server.url).list({
        group: 'security.istio.io',
        version: 'v1',
        plural: 'peerauthentications',
      }),
    ).resolves.toEqual([]);
  });

  it('reports API errors with the Status message', async () => {
    server = await startServer((_req, res) =>
      json(res, 403, {
        kind: 'Status',
        message: 'pods is forbidden: User cannot list pods',
      }),
    );
    await expect(client(server.url).list(kubeResources.pods)).rejects.toThrow(
      'GET /api/v1/pods failed with HTTP 403: pods is forbidden: User cannot list pods',
    );
  });

  it('gives up on a cluster that does not answer within the timeout', async () => {
    server = await startServer(() => {
      // never answers
    });
    // The server never answers: only the client's timeout can end the request.
    await expect(client(server.url, 200).serverVersion()).rejects.toThrow(
      "cluster 'dev' did not answer GET /version within 200 ms",
    );
  });

  it('reports a refused connection', async () => {
    const closed = await startServer(() => {});
    await closed.close();
    await expect(client(closed.url).serverVersion()).rejects.toThrow(
      /ECONNREFUSED/,
    );
  });
});
