import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import {
  coreServices,
  createServiceFactory,
  type LoggerService,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  type TestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { startKubeSim } from '@meshstage/kube-sim';
import linkerdModule from '@meshstage/plugin-mesh-backend-module-linkerd';
import { eventually } from '@meshstage/plugin-mesh-node';
import knexFactory, { type Knex } from 'knex';
import { meshPlugin } from './plugin';
import { kubernetesClustersConfig } from './__testUtils__/kubernetesConfig';

// Issue 17, "Secrets": cluster credentials, Linkerd's private keys, benchmark headers marked secret
// and the secret key itself never appear in a log line (audit events included), an API response
// (plans, diffs, errors, event streams), or a stored row. One run through all of them against a
// real cluster (kube-sim), a real target and SQLite, then every output is searched for every
// secret in every form it could take.

const EXAMPLE_CLUSTER = path.resolve(__dirname, '../../../examples/cluster');
const SECRET_KEY = 'meshstage test secret key 7f3a9c';
const HEADER_SECRET = `Bearer hdr-${Math.random()
  .toString(36)
  .slice(2)}-secret`;
const WRONG_TOKEN = `wrong-${Math.random().toString(36).slice(2)}-token`;

jest.setTimeout(240_000);

/** A logger that keeps every line, with its meta and error, as JSON. */
function collectingLogger(
  lines: string[],
  meta: Record<string, unknown> = {},
): LoggerService {
  const log =
    (level: string) =>
    (message: string, extra?: Error | Record<string, unknown>) => {
      lines.push(
        JSON.stringify({
          level,
          message,
          ...meta,
          ...(extra instanceof Error
            ? { error: `${extra.stack ?? extra}` }
            : extra),
        }),
      );
    };
  return {
    error: log('error'),
    warn: log('warn'),
    info: log('info'),
    debug: log('debug'),
    child: more => collectingLogger(lines, { ...meta, ...more }),
  };
}

describe('secrets never leak', () => {
  const logLines: string[] = [];
  const responses: string[] = [];
  const received: string[] = [];
  let sim: Awaited<ReturnType<typeof startKubeSim>>;
  let echo: http.Server;
  let backend: TestBackend;
  let knex: Knex;

  beforeAll(async () => {
    sim = await startKubeSim({ seed: [EXAMPLE_CLUSTER] });
    // The benchmark target records the Authorization header it is sent.
    echo = http.createServer((req, res) => {
      received.push(String(req.headers.authorization));
      res.end('ok');
    });
    await new Promise<void>(r => echo.listen(0, '127.0.0.1', r));
    knex = knexFactory({
      client: 'better-sqlite3',
      connection: ':memory:',
      useNullAsDefault: true,
    });
    const logger = createServiceFactory({
      service: coreServices.logger,
      deps: { plugin: coreServices.pluginMetadata },
      factory: ({ plugin }) =>
        collectingLogger(logLines, { plugin: plugin.getId() }),
    });
    const rootLogger = createServiceFactory({
      service: coreServices.rootLogger,
      deps: {},
      factory: () => collectingLogger(logLines),
    });
    backend = await startTestBackend({
      features: [
        meshPlugin,
        linkerdModule,
        logger,
        rootLogger,
        // Backstage's auditor, which writes its events through the logger above.
        mockServices.auditor.factory(),
        mockServices.database.factory({ knex }),
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
        catalogServiceMock.factory({ entities: [] }),
        mockServices.rootConfig.factory({
          data: {
            ...kubernetesClustersConfig([
              { name: 'dev', url: sim.url, token: sim.token },
              // The same API server with a token it refuses: every call to it fails.
              { name: 'stale', url: sim.url, token: WRONG_TOKEN },
            ]),
            mesh: {
              benchmark: { allowedHosts: ['127.0.0.1'], secretKey: SECRET_KEY },
            },
          },
        }),
      ],
    });
  });

  afterAll(async () => {
    await backend?.stop();
    await knex?.destroy();
    await sim?.close();
    await new Promise(r => echo?.close(r));
  });

  /** A request as a user; every response body is kept for the search. */
  async function api(method: string, route: string, body?: unknown) {
    const { port } = backend.server.address() as AddressInfo;
    const res = await fetch(`http://127.0.0.1:${port}/api/mesh${route}`, {
      method,
      headers: {
        Authorization: mockCredentials.user.header('user:default/ann'),
        ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    responses.push(`${method} ${route} ${res.status} ${text}`);
    let parsed: any;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = text;
    }
    return { status: res.status, body: parsed };
  }

  /** Every row of every table of the plugin's database, as text. */
  async function storedRows(): Promise<string> {
    const tables = (
      await knex.raw(
        "select name from sqlite_master where type = 'table' and name like 'mesh%'",
      )
    ).map((t: { name: string }) => t.name) as string[];
    const dump: Record<string, unknown[]> = {};
    for (const t of tables) dump[t] = await knex(t).select();
    return JSON.stringify(dump);
  }

  /** The private keys of the Secrets the Linkerd install applied, as the cluster holds them. */
  async function linkerdPrivateKeys(): Promise<string[]> {
    const res = await fetch(`${sim.url}/api/v1/namespaces/linkerd/secrets`, {
      headers: { Authorization: `Bearer ${sim.token}` },
    });
    const secrets = ((await res.json()) as any).items as any[];
    return secrets
      .map(s => s.data?.['tls.key'] as string | undefined)
      .filter((k): k is string => !!k);
  }

  /**
   * The texts whose presence would be a leak: the value itself, and for a PEM private key (given
   * as a Secret's base64 data) a stretch of its base64 data and each line of its PEM body, so
   * that a key re-encoded, escaped or cut into lines is found too.
   */
  function forms(secret: string, pemData = false): string[] {
    if (!pemData) return [secret];
    const pem = Buffer.from(secret, 'base64').toString('utf8');
    const body = pem
      .split('\n')
      .filter(l => l.length >= 20 && !l.startsWith('-----'));
    return [secret.slice(40, 100), ...body];
  }

  it('keeps cluster tokens, Linkerd keys, secret headers and the secret key out of logs, responses and stored rows', async () => {
    // Two clusters: one whose token the API server refuses, so reading it fails.
    await api('GET', '/clusters');
    const status = await api('GET', '/status?mesh=linkerd');
    expect(
      status.body.items.map((row: any) => [row.cluster, row.error]),
    ).toEqual([
      ['dev', undefined],
      ['stale', 'GET /api/v1/namespaces failed with HTTP 401: Unauthorized'],
    ]);
    const refusedScan = await api('POST', '/validation/scans', {
      cluster: 'stale',
    });
    expect(refusedScan.status).toBeGreaterThanOrEqual(200);

    // A Linkerd install: its identity's private keys are generated for the plan.
    const install = {
      action: 'install',
      mesh: 'linkerd',
      cluster: 'dev',
      version: 'stable-2.14.10',
    };
    const dry = await api('POST', '/operations', { ...install, dryRun: true });
    expect(dry.body.diff).toContain('<redacted>');
    const started = await api('POST', '/operations', install);
    expect(started.status).toBe(202);
    const id = started.body.operation.id;
    const op = await eventually(async () => {
      const { body } = await api('GET', `/operations/${id}`);
      return ['succeeded', 'failed'].includes(body.operation.state)
        ? body.operation
        : undefined;
    }, 120_000);
    expect(op.state).toBe('succeeded');
    await api('GET', `/operations/${id}/events`);
    await api('POST', '/drift/check', { cluster: 'dev', mesh: 'linkerd' });
    // The same install on the refused cluster fails while planning.
    await api('POST', '/operations', { ...install, cluster: 'stale' });
    const keys = await linkerdPrivateKeys();
    expect(keys.length).toBeGreaterThanOrEqual(2);

    // A profile with a secret header, and one more endpoint nothing listens on (failed requests).
    const target = `http://127.0.0.1:${(echo.address() as AddressInfo).port}/`;
    const endpoint = (url: string) => ({
      url,
      headers: { Authorization: HEADER_SECRET, 'X-Env': 'test' },
      secretHeaders: ['authorization'],
    });
    const profile = {
      name: 'with a token',
      endpoints: [endpoint(target), endpoint('http://127.0.0.1:9/')],
      connections: 1,
      requestCount: 10,
    };
    const created = await api('POST', '/benchmark/profiles', profile);
    expect(created.status).toBe(201);
    expect(created.body.endpoints[0].headers).toEqual({
      Authorization: '***',
      'X-Env': 'test',
    });
    await api('GET', '/benchmark/profiles');
    await api('GET', `/benchmark/profiles/${created.body.id}`);
    // Refused requests carrying the value: inline (not stored), and a bad field beside it.
    const inline = await api('POST', '/benchmark/runs', { profile });
    expect(inline.status).toBe(400);
    const bad = await api('POST', '/benchmark/profiles', {
      ...profile,
      connections: -1,
    });
    expect(bad.status).toBe(400);

    async function runProfile() {
      const run = await api('POST', '/benchmark/runs', {
        profileId: created.body.id,
      });
      expect(run.status).toBe(202);
      const done = await eventually(async () => {
        const { body } = await api('GET', `/benchmark/runs/${run.body.id}`);
        return ['succeeded', 'failed'].includes(body.state) ? body : undefined;
      }, 60_000);
      await api('GET', `/benchmark/runs/${run.body.id}/events`);
      await api('GET', `/benchmark/results/${run.body.id}`);
      await api('GET', `/benchmark/results/${run.body.id}/export?format=smp`);
      return done;
    }
    const first = await runProfile();
    expect(first.result.requests.failed).toBeGreaterThan(0);
    // An update that sends '***' back keeps the stored value.
    const updated = await api('PUT', `/benchmark/profiles/${created.body.id}`, {
      ...profile,
      name: 'renamed',
      endpoints: profile.endpoints.map(e => ({
        ...e,
        headers: { ...e.headers, Authorization: '***' },
      })),
    });
    expect(updated.status).toBe(200);
    await runProfile();
    await api('GET', '/benchmark/runs');

    // The target got the real value every time.
    expect(received.length).toBeGreaterThan(0);
    expect(new Set(received)).toEqual(new Set([HEADER_SECRET]));

    // And nothing else did.
    const outputs = {
      logs: logLines.join('\n'),
      responses: responses.join('\n'),
      rows: await storedRows(),
    };
    // Non-vacuous: each output holds what the run did.
    expect(outputs.logs).toContain('mesh-operation-create');
    expect(outputs.responses).toContain('Install Linkerd stable-2.14.10');
    expect(outputs.rows).toContain('sealed:v1:');
    const secrets: [string, string[]][] = [
      ['the cluster token', forms(sim.token)],
      ['the refused token', forms(WRONG_TOKEN)],
      ['the secret header', forms(HEADER_SECRET)],
      ['mesh.benchmark.secretKey', forms(SECRET_KEY)],
      ...keys.map((k, i): [string, string[]] => [
        `Linkerd private key ${i}`,
        forms(k, true),
      ]),
    ];
    const leaks = secrets.flatMap(([what, texts]) =>
      Object.entries(outputs)
        .filter(([, text]) => texts.some(t => text.includes(t)))
        .map(([where]) => `${what} in ${where}`),
    );
    expect(leaks).toEqual([]);
  });
});
