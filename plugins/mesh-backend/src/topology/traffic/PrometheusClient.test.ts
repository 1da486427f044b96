import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { PrometheusClient } from './PrometheusClient';
import {
  type FakePrometheus,
  startFakePrometheus,
  vector,
} from './__testUtils__/fakePrometheus';

const TOKEN = 'tok-secret-123';

/** A loopback port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>(resolve => server.close(() => resolve()));
  return port;
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

describe('PrometheusClient', () => {
  let fake: FakePrometheus | undefined;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });

  it('POSTs the query form to <url>/api/v1/query with the timeout, keeping a path prefix', async () => {
    fake = await startFakePrometheus(() =>
      vector([{ metric: { a: '1' }, value: '2.5' }]),
    );
    const client = new PrometheusClient({
      url: `${fake.url}/prometheus`,
      timeoutMs: 4000,
      headers: { 'X-Scope-OrgID': 'tenant-a' },
    });
    await expect(client.query('sum(up)')).resolves.toEqual([
      { metric: { a: '1' }, value: 2.5, timestamp: 1700000000.123 },
    ]);
    const [received] = fake.received;
    expect(received.method).toBe('POST');
    expect(received.path).toBe('/prometheus/api/v1/query');
    expect(received.form).toEqual({ query: 'sum(up)', timeout: '4000ms' });
    expect(received.headers['content-type']).toBe(
      'application/x-www-form-urlencoded',
    );
    expect(received.headers['x-scope-orgid']).toBe('tenant-a');
    expect(received.headers.authorization).toBeUndefined();
  });

  it('evaluates at the time asked for', async () => {
    fake = await startFakePrometheus(() => vector([]));
    await new PrometheusClient({ url: fake.url, timeoutMs: 4000 }).query('up', {
      time: 1700000000.5,
    });
    expect(fake.received[0].form).toEqual({
      query: 'up',
      timeout: '4000ms',
      time: '1700000000.5',
    });
  });

  it('sends a bearer token', async () => {
    fake = await startFakePrometheus(() => vector([]));
    await new PrometheusClient({
      url: fake.url,
      timeoutMs: 4000,
      bearerToken: TOKEN,
    }).query('up');
    expect(fake.received[0].headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it('sends basic auth', async () => {
    fake = await startFakePrometheus(() => vector([]));
    await new PrometheusClient({
      url: fake.url,
      timeoutMs: 4000,
      username: 'portal',
      password: 'pw',
    }).query('up');
    expect(fake.received[0].headers.authorization).toBe(
      `Basic ${Buffer.from('portal:pw').toString('base64')}`,
    );
  });

  it('reads NaN and infinities as numbers', async () => {
    fake = await startFakePrometheus(() =>
      vector([
        { metric: { s: 'nan' }, value: 'NaN' },
        { metric: { s: 'inf' }, value: '+Inf' },
        { metric: { s: 'neg' }, value: '-Inf' },
      ]),
    );
    const result = await new PrometheusClient({
      url: fake.url,
      timeoutMs: 4000,
    }).query('q');
    expect(result.map(r => r.value)).toEqual([NaN, Infinity, -Infinity]);
  });

  it('turns a Prometheus error body into its message', async () => {
    fake = await startFakePrometheus(() => ({
      status: 400,
      body: {
        status: 'error',
        errorType: 'bad_data',
        error: '1:5: parse error: unexpected end of input',
      },
    }));
    const error = await rejection(
      new PrometheusClient({ url: fake.url, timeoutMs: 4000 }).query('sum(', {
        description: 'istio request rate',
      }),
    );
    expect(error.message).toBe(
      `Prometheus at ${fake.url} rejected the istio request rate query: 1:5: parse error: unexpected end of input (bad_data)`,
    );
  });

  it('says when the credentials are refused, without the token', async () => {
    fake = await startFakePrometheus(() => ({
      status: 401,
      body: 'Unauthorized',
      contentType: 'text/plain',
    }));
    const error = await rejection(
      new PrometheusClient({
        url: fake.url,
        timeoutMs: 4000,
        bearerToken: TOKEN,
      }).query('up'),
    );
    expect(error.message).toBe(
      `Prometheus at ${fake.url} refused the credentials (HTTP 401 Unauthorized): check mesh.metrics.prometheus.bearerToken or username/password`,
    );
    expect(error.message).not.toContain(TOKEN);
  });

  it('says when credentials are needed', async () => {
    fake = await startFakePrometheus(() => ({ status: 403, body: '' }));
    const error = await rejection(
      new PrometheusClient({ url: fake.url, timeoutMs: 4000 }).query('up'),
    );
    expect(error.message).toMatch(
      /denied access \(HTTP 403 Forbidden\): set mesh\.metrics\.prometheus\.bearerToken/,
    );
  });

  it('reports a non-Prometheus error page by status and a short excerpt', async () => {
    fake = await startFakePrometheus(() => ({
      status: 502,
      body: '<html>\n<body>Bad gateway</body>\n</html>',
      contentType: 'text/html',
    }));
    const error = await rejection(
      new PrometheusClient({ url: fake.url, timeoutMs: 4000 }).query('up'),
    );
    expect(error.message).toBe(
      `Prometheus at ${fake.url} answered HTTP 502 Bad Gateway: <html> <body>Bad gateway</body> </html>`,
    );
  });

  it('says when the URL is not Prometheus', async () => {
    fake = await startFakePrometheus(() => ({
      body: '<html>Grafana</html>',
      contentType: 'text/html',
    }));
    const error = await rejection(
      new PrometheusClient({ url: fake.url, timeoutMs: 4000 }).query('up'),
    );
    expect(error.message).toMatch(
      /did not answer with Prometheus's query API JSON/,
    );
  });

  it('rejects results that are not instant vectors', async () => {
    fake = await startFakePrometheus(() => ({
      body: {
        status: 'success',
        data: { resultType: 'scalar', result: [1, '1'] },
      },
    }));
    const error = await rejection(
      new PrometheusClient({ url: fake.url, timeoutMs: 4000 }).query('1'),
    );
    expect(error.message).toMatch(/with a scalar, not an instant vector/);
  });

  it('says when Prometheus cannot be reached', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const error = await rejection(
      new PrometheusClient({ url, timeoutMs: 4000, bearerToken: TOKEN }).query(
        'up',
      ),
    );
    expect(error.message).toMatch(
      new RegExp(`^Prometheus at ${url} could not be reached: .*ECONNREFUSED`),
    );
    expect(error.message).not.toContain(TOKEN);
  });

  it('gives up after the timeout', async () => {
    fake = await startFakePrometheus(() => 'hang');
    const error = await rejection(
      new PrometheusClient({ url: fake.url, timeoutMs: 300 }).query('up', {
        description: 'linkerd p99 latency',
      }),
    );
    expect(error.message).toBe(
      `Prometheus at ${fake.url} did not answer the linkerd p99 latency query within 300 ms`,
    );
  });

  it('passes the caller’s abort through', async () => {
    fake = await startFakePrometheus(() => 'hang');
    const controller = new AbortController();
    const pending = new PrometheusClient({
      url: fake.url,
      timeoutMs: 60_000,
    }).query('up', { signal: controller.signal });
    controller.abort();
    const error = await rejection(pending);
    expect(error.name).toBe('AbortError');
  });
});
