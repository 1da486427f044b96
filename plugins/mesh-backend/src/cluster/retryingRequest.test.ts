import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createKubeConfig } from './createKubeConfig';
import { createKubeRequest, type KubeRequest } from './kubeRequest';
import { withRetries } from './retryingRequest';
import { collectRetries } from './retryReport';
import type { ClusterRetryPolicy } from './retryPolicy';

// Real local servers: jest's 5 s default is tight on a busy machine.
jest.setTimeout(60_000);

const policy: ClusterRetryPolicy = {
  attempts: 4,
  initialDelayMs: 100,
  maxDelayMs: 1000,
  maxRetryAfterMs: 5000,
  budgetMs: 60_000,
};

/** A stand-in API server answering the n-th request (0-based) with `answer(n, req, res)`. */
async function startServer(
  answer: (
    n: number,
    req: http.IncomingMessage,
    res: http.ServerResponse,
  ) => void,
) {
  let n = 0;
  const server = http.createServer((req, res) => answer(n++, req, res));
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests: () => n,
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const json = (
  res: http.ServerResponse,
  status: number,
  body: unknown,
  headers = {},
) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};
const status500 = (res: http.ServerResponse) =>
  json(res, 500, {
    kind: 'Status',
    reason: 'InternalError',
    message: 'etcd down',
    code: 500,
  });

/**
 * The real request to `url`, one attempt each (attempts: 1), wrapped in the retry loop with a
 * recording sleep: the delays it asks for are checked without waiting them out.
 */
function retrying(url: string, timeoutMs = 30_000) {
  const kc = createKubeConfig({
    name: 'dev',
    url,
    authProvider: 'serviceAccount',
    serviceAccountToken: 't',
    skipTLSVerify: true,
  });
  const once: KubeRequest = createKubeRequest(
    { name: 'dev', url },
    kc,
    timeoutMs,
    {
      ...policy,
      attempts: 1,
    },
  );
  const slept: number[] = [];
  const request = withRetries(once, policy, {
    sleep: async ms => {
      slept.push(ms);
    },
    now: Date.now,
    random: () => 0.5,
  });
  return { request, slept };
}

describe('withRetries over real HTTP', () => {
  let server: Awaited<ReturnType<typeof startServer>> | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('waits out each 429 for its Retry-After, then returns the answer', async () => {
    server = await startServer((n, _req, res) => {
      if (n < 2) {
        res.writeHead(429, {
          'retry-after': '2',
          'content-type': 'text/plain',
        });
        res.end('Too many requests, please try again later.\n');
      } else json(res, 200, { kind: 'Namespace' });
    });
    const { request, slept } = retrying(server.url);
    const res = await request('GET', '/api/v1/namespaces/default');
    expect(res).toMatchObject({ status: 200, attempts: 3 });
    expect(slept).toEqual([2000, 2000]);
    expect(server.requests()).toBe(3);
  });

  it('caps a long Retry-After', async () => {
    server = await startServer((n, _req, res) =>
      n === 0
        ? json(
            res,
            503,
            { kind: 'Status', code: 503 },
            { 'retry-after': '3600' },
          )
        : json(res, 200, {}),
    );
    const { request, slept } = retrying(server.url);
    expect((await request('GET', '/version')).attempts).toBe(2);
    expect(slept).toEqual([5000]);
  });

  it('backs off between 500s and gives the last answer after the last attempt', async () => {
    server = await startServer((_n, _req, res) => status500(res));
    const { request, slept } = retrying(server.url);
    const res = await request('PATCH', '/api/v1/namespaces/a/configmaps/b', {
      body: '{}',
    });
    expect(res).toMatchObject({ status: 500, attempts: 4 });
    expect(slept).toEqual([75, 150, 300]);
    expect(server.requests()).toBe(4);
  });

  it('does not repeat a refusal, nor a POST the server may have served', async () => {
    server = await startServer((_n, _req, res) =>
      json(res, 403, { kind: 'Status', reason: 'Forbidden', code: 403 }),
    );
    const forbidden = retrying(server.url);
    expect(await forbidden.request('GET', '/api/v1/pods')).toMatchObject({
      status: 403,
      attempts: 1,
    });
    await server.close();

    server = await startServer((_n, _req, res) => status500(res));
    const post = retrying(server.url);
    expect(
      await post.request('POST', '/api/v1/namespaces/a/configmaps', {
        body: '{}',
      }),
    ).toMatchObject({ status: 500, attempts: 1 });
    // ... unless the caller says the create may be repeated (it has a name)
    expect(
      await post.request('POST', '/api/v1/namespaces/a/configmaps', {
        body: '{}',
        safety: 'idempotent',
      }),
    ).toMatchObject({ status: 500, attempts: 4 });
  });

  it('repeats a GET whose connection was reset, and one that timed out', async () => {
    server = await startServer((n, req, res) => {
      if (n === 0) req.socket.destroy();
      else if (n === 1) {
        // never answers: the attempt's timeout ends it
      } else json(res, 200, { ok: true });
    });
    const { request } = retrying(server.url, 500);
    const res = await request('GET', '/version');
    expect(res).toMatchObject({ status: 200, attempts: 3 });
  });

  it('reports each request that needed retries, and how its attempts failed, to the work it ran in', async () => {
    server = await startServer((n, req, res) => {
      if (req.url === '/version') json(res, 200, {});
      else if (n === 1) json(res, 503, { kind: 'Status', code: 503 });
      else if (n === 2) req.socket.destroy();
      else if (req.url?.startsWith('/api/v1/pods')) status500(res);
      else json(res, 200, { kind: 'ConfigMap' });
    });
    const { request } = retrying(server.url);
    const { value, retried } = await collectRetries(async () => {
      await request('GET', '/version'); // at once: not reported
      const applied = await request(
        'PATCH',
        '/api/v1/namespaces/a/configmaps/b',
        {
          body: '{}',
          contentType: 'application/apply-patch+yaml',
        },
      );
      await request('GET', '/api/v1/pods'); // 500 every time
      return applied.status;
    });
    expect(value).toBe(200);
    expect(retried).toEqual([
      {
        request: 'apply /api/v1/namespaces/a/configmaps/b',
        attempts: 3,
        failures: ['503 Service Unavailable', 'connection reset'],
        answered: true,
      },
      {
        request: 'GET /api/v1/pods',
        attempts: 4,
        failures: Array(4).fill('500 Internal Server Error'),
        answered: false,
      },
    ]);
    // Outside the work (after it), retries are not collected.
    expect((await request('GET', '/api/v1/pods')).attempts).toBe(4);
    expect(retried).toHaveLength(2);
    // Nor those of background work it started that go on after it.
    let background: Promise<unknown> | undefined;
    const { retried: none } = await collectRetries(async () => {
      background = new Promise(resolve => setTimeout(resolve, 10)).then(() =>
        request('GET', '/api/v1/pods'),
      );
    });
    await background;
    expect(none).toEqual([]);
  });

  it('rejects with the last connection error after the last attempt, saying how many', async () => {
    server = await startServer(() => undefined);
    const { url } = server;
    await server.close();
    server = undefined;
    const { request, slept } = retrying(url);
    await expect(request('GET', '/version')).rejects.toThrow(
      /ECONNREFUSED.*\(after 4 attempts\)$/,
    );
    expect(slept).toHaveLength(3);
  });
});
