/**
 * @jest-environment node
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Operation } from '@meshstage/plugin-mesh-common';
import { MeshHttp } from './MeshHttp';
import { OperationsClient, toOperationStreamEvent } from './OperationsClient';
import type { OperationStreamEvent } from './MeshOperationsApi';
import { operationConflict } from '../lib/operationErrors';

const ID = '6d370298-7055-44d1-a48c-e50bdb315768';
const HOLDER = '4b13dbcf-432c-407b-a5cb-fdbedf81c634';
const request = {
  action: 'onboard' as const,
  mesh: 'istio',
  cluster: 'dev',
  namespace: 'bookinfo',
};
const plan = {
  request,
  summary: 'Onboard namespace bookinfo to Istio on dev',
  steps: [],
};
const operation: Operation = {
  id: ID,
  cluster: 'dev',
  mesh: 'istio',
  action: 'onboard',
  request,
  plan,
  summary: plan.summary,
  state: 'running',
  createdBy: 'user:default/guest',
  createdAt: '2026-12-02T10:00:00.000Z',
  updatedAt: '2026-12-02T10:00:00.000Z',
  run: 1,
};
const logLine = (seq: number) => ({
  seq,
  time: '2026-12-02T10:00:01.000Z',
  level: 'info',
  message: `line ${seq}`,
  step: 0,
});

interface Seen {
  method: string;
  url: string;
  auth?: string;
  lastEventId?: string;
  accept?: string;
  body?: any;
}

// A real HTTP server standing in for the mesh backend's lifecycle and drift routes.
describe('OperationsClient', () => {
  let server: http.Server;
  let baseUrl: string;
  let seen: Seen[] = [];
  /** Lets a test end the open event stream. */
  let endStream: (() => void) | undefined;

  beforeAll(async () => {
    server = http.createServer(async (req, res) => {
      let text = '';
      for await (const chunk of req) text += chunk;
      const body = text ? JSON.parse(text) : undefined;
      seen.push({
        method: req.method!,
        url: req.url!,
        auth: req.headers.authorization,
        lastEventId: req.headers['last-event-id'] as string | undefined,
        accept: req.headers.accept,
        body,
      });
      const json = (status: number, value: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(value));
      };
      const url = new URL(req.url!, 'http://x');
      const path = url.pathname.replace('/api/mesh', '');
      if (req.method === 'POST' && path === '/operations') {
        if (body.dryRun) return json(200, { plan, diff: '# Onboard\n' });
        if (body.namespace === 'busy') {
          // The backend's 409 when another operation holds the cluster and mesh.
          return json(409, {
            error: {
              name: 'ConflictError',
              message: `Operation ${HOLDER} is in progress on cluster 'dev' for mesh 'istio'; wait for it to finish, or resume or revert it if it was interrupted`,
            },
            request: { method: 'POST', url: '/api/mesh/operations' },
            response: { statusCode: 409 },
            operationId: HOLDER,
          });
        }
        return json(202, { operation });
      }
      if (req.method === 'GET' && path === '/operations') {
        return json(200, {
          items: [{ ...operation, plan: undefined, steps: 0 }],
        });
      }
      if (req.method === 'GET' && path === `/operations/${ID}`) {
        return json(200, { operation, log: [logLine(1)] });
      }
      if (req.method === 'GET' && path === `/operations/${ID}/events`) {
        const after = Number(req.headers['last-event-id'] ?? 0);
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write(': ping\n\n');
        for (let seq = after + 1; seq <= 3; seq++) {
          res.write(
            `id: ${seq}\nevent: log\ndata: ${JSON.stringify(logLine(seq))}\n\n`,
          );
        }
        endStream = () =>
          res.end(
            'event: state\ndata: {"state":"succeeded","currentStep":1}\n\n',
          );
        if (url.searchParams.get('hold') === null && after > 0) endStream();
        return undefined;
      }
      const verb = /^\/operations\/[^/]+\/(resume|revert)$/.exec(path)?.[1];
      if (req.method === 'POST' && verb) {
        if (body?.dryRun) {
          return json(200, { operation, plan, diff: `# ${verb}\n` });
        }
        return json(202, {
          operation: {
            ...operation,
            state: verb === 'resume' ? 'running' : 'reverting',
            run: 2,
          },
        });
      }
      if (req.method === 'GET' && path === '/drift') {
        return json(200, { items: [] });
      }
      if (req.method === 'POST' && path === '/drift/check') {
        return json(200, {
          cluster: body.cluster,
          mesh: body.mesh,
          checkedAt: '2026-12-02T10:00:00.000Z',
          drifted: false,
          objects: [],
        });
      }
      return json(404, {
        error: { name: 'NotFoundError', message: `no route ${path}` },
        request: { method: req.method, url: req.url },
        response: { statusCode: 404 },
      });
    });
    await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
    baseUrl = `http://127.0.0.1:${
      (server.address() as AddressInfo).port
    }/api/mesh`;
  });
  beforeEach(() => {
    seen = [];
    endStream = undefined;
  });
  afterAll(() => new Promise(r => server.close(r)));

  const client = () =>
    new OperationsClient(
      new MeshHttp({
        discoveryApi: { getBaseUrl: async () => baseUrl },
        fetchApi: {
          fetch: (input: any, init?: any) =>
            fetch(input, {
              ...init,
              headers: { ...init?.headers, authorization: 'Bearer user-token' },
            }),
        },
      }),
    );

  it('previews with dryRun and starts without it', async () => {
    await expect(client().previewOperation(request)).resolves.toEqual({
      plan,
      diff: '# Onboard\n',
    });
    await expect(client().createOperation(request)).resolves.toEqual(operation);
    expect(seen.map(s => [s.method, s.url, s.body, s.auth])).toEqual([
      [
        'POST',
        '/api/mesh/operations',
        { ...request, dryRun: true },
        'Bearer user-token',
      ],
      ['POST', '/api/mesh/operations', request, 'Bearer user-token'],
    ]);
  });

  it('rejects a blocked start with a 409 naming the operation that holds the lock', async () => {
    const error = await client()
      .createOperation({ ...request, namespace: 'busy' })
      .catch(e => e);
    expect(error).toMatchObject({ name: 'ResponseError', statusCode: 409 });
    expect(operationConflict(error)).toEqual({
      message: expect.stringContaining(`Operation ${HOLDER} is in progress`),
      operationId: HOLDER,
    });
  });

  it('lists with filters, and reads one operation with its log', async () => {
    await client().listOperations({
      cluster: 'dev',
      state: 'running',
      limit: 5,
    });
    await client().listOperations();
    await expect(client().getOperation(ID)).resolves.toEqual({
      operation,
      log: [logLine(1)],
    });
    expect(seen.map(s => s.url)).toEqual([
      '/api/mesh/operations?cluster=dev&state=running&limit=5',
      '/api/mesh/operations',
      `/api/mesh/operations/${ID}`,
    ]);
  });

  it('streams log lines as they arrive, then the final state', async () => {
    const events: OperationStreamEvent[] = [];
    await client().streamOperationEvents(ID, {
      onEvent: e => {
        events.push(e);
        // The server holds the stream open until the three lines are through.
        if (events.length === 3) endStream!();
      },
    });
    expect(events).toEqual([
      { type: 'log', entry: logLine(1) },
      { type: 'log', entry: logLine(2) },
      { type: 'log', entry: logLine(3) },
      { type: 'state', state: { state: 'succeeded', currentStep: 1 } },
    ]);
    expect(seen[0]).toMatchObject({
      url: `/api/mesh/operations/${ID}/events`,
      accept: 'text/event-stream',
      auth: 'Bearer user-token',
      lastEventId: undefined,
    });
  });

  it('resumes after the last line received with Last-Event-ID', async () => {
    const events: OperationStreamEvent[] = [];
    await client().streamOperationEvents(ID, {
      lastEventId: 2,
      onEvent: e => events.push(e),
    });
    expect(seen[0].lastEventId).toBe('2');
    expect(events.map(e => e.type)).toEqual(['log', 'state']);
    expect(events[0]).toEqual({ type: 'log', entry: logLine(3) });
  });

  it('stops reading when aborted, and resolves', async () => {
    const abort = new AbortController();
    const events: OperationStreamEvent[] = [];
    await client().streamOperationEvents(ID, {
      signal: abort.signal,
      onEvent: e => {
        events.push(e);
        abort.abort();
      },
    });
    expect(events).toHaveLength(1);
    endStream?.();
  });

  it('previews and runs resume and revert', async () => {
    const c = client();
    await expect(c.previewResumeOperation(ID)).resolves.toMatchObject({
      diff: '# resume\n',
      operation: { id: ID },
    });
    await expect(c.resumeOperation(ID)).resolves.toMatchObject({
      state: 'running',
      run: 2,
    });
    await expect(c.previewRevertOperation(ID)).resolves.toMatchObject({
      diff: '# revert\n',
    });
    await expect(c.revertOperation(ID)).resolves.toMatchObject({
      state: 'reverting',
    });
    expect(seen.map(s => [s.url, s.body])).toEqual([
      [`/api/mesh/operations/${ID}/resume`, { dryRun: true }],
      [`/api/mesh/operations/${ID}/resume`, {}],
      [`/api/mesh/operations/${ID}/revert`, { dryRun: true }],
      [`/api/mesh/operations/${ID}/revert`, {}],
    ]);
  });

  it('reads and checks drift', async () => {
    await expect(client().getDriftReports({ mesh: 'istio' })).resolves.toEqual(
      [],
    );
    await expect(
      client().checkDrift({ cluster: 'dev', mesh: 'istio' }),
    ).resolves.toMatchObject({ cluster: 'dev', drifted: false });
    expect(seen.map(s => [s.method, s.url, s.body])).toEqual([
      ['GET', '/api/mesh/drift?mesh=istio', undefined],
      ['POST', '/api/mesh/drift/check', { cluster: 'dev', mesh: 'istio' }],
    ]);
  });

  it('surfaces the backend message of other errors', async () => {
    await expect(client().getOperation('missing')).rejects.toMatchObject({
      statusCode: 404,
      body: { error: { message: 'no route /operations/missing' } },
    });
  });
});

describe('toOperationStreamEvent', () => {
  it('types log, state and error events and skips the rest', () => {
    expect(
      toOperationStreamEvent({ event: 'error', data: '{"message":"db gone"}' }),
    ).toEqual({ type: 'error', message: 'db gone' });
    expect(
      toOperationStreamEvent({ event: 'message', data: '{}' }),
    ).toBeUndefined();
    expect(
      toOperationStreamEvent({ event: 'log', data: 'not json' }),
    ).toBeUndefined();
  });
});
