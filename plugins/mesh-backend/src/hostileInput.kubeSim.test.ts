import type { AddressInfo } from 'node:net';
import path from 'node:path';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  type TestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { startKubeSim } from '@meshstage/kube-sim';
import istioModule from '@meshstage/plugin-mesh-backend-module-istio';
import linkerdModule from '@meshstage/plugin-mesh-backend-module-linkerd';
import knexFactory, { type Knex } from 'knex';
import { meshPlugin } from './plugin';
import { kubernetesClustersConfig } from './__testUtils__/kubernetesConfig';

// Issue 17, "Hostile input": every mutating route of the mesh API, and its read routes' ids and
// queries, sent malformed JSON, wrong types, missing and extra fields, huge bodies, deep nesting,
// invalid UTF-8, path traversal, header injection and forged or missing tokens. Each must get a
// clear 4xx with Backstage's error body, and nothing may be stored (every mesh_* table's row
// count) or applied to the cluster (kube-sim's resourceVersion) by any of them.

const EXAMPLE_CLUSTER = path.resolve(__dirname, '../../../examples/cluster');

jest.setTimeout(180_000);

const USER = mockCredentials.user.header('user:default/ann');
const NO_SUCH_ID = '00000000-0000-4000-8000-000000000000';

/** A request a case sends: method, path (with query), body bytes, headers. */
interface HostileCase {
  name: string;
  method: 'get' | 'post' | 'put' | 'delete';
  path: string;
  body?: Buffer | string;
  contentType?: string;
  authorization?: string | null;
  /** Statuses that count as a clear refusal (default: 400). */
  expect?: number[];
  /** What a 400's message must say, so that it is refused for the right reason. */
  message?: RegExp;
}

/** A route that takes a JSON body, with a well-formed body to break. */
interface BodyRoute {
  method: 'post' | 'put';
  path: string;
  valid: Record<string, unknown>;
  /** False when every field is optional (`{}` is a valid body). */
  required?: boolean;
}

const profile = {
  name: 'echo',
  endpoints: [{ url: 'http://127.0.0.1:9/' }],
  connections: 1,
  duration: '1s',
};

const BODY_ROUTES: BodyRoute[] = [
  {
    method: 'post',
    path: '/operations',
    valid: {
      action: 'install',
      mesh: 'istio',
      cluster: 'dev',
      version: '1.29.6',
    },
  },
  {
    method: 'post',
    path: `/operations/${NO_SUCH_ID}/resume`,
    valid: { dryRun: false },
    required: false,
  },
  {
    method: 'post',
    path: `/operations/${NO_SUCH_ID}/revert`,
    valid: { dryRun: false },
    required: false,
  },
  {
    method: 'post',
    path: '/drift/check',
    valid: { cluster: 'dev', mesh: 'istio' },
  },
  {
    method: 'post',
    path: '/validate',
    valid: { files: [{ name: 'a.yaml', content: 'kind: Namespace' }] },
  },
  { method: 'post', path: '/validation/scans', valid: { cluster: 'dev' } },
  { method: 'post', path: '/benchmark/profiles', valid: profile },
  {
    method: 'put',
    path: `/benchmark/profiles/${NO_SUCH_ID}`,
    valid: profile,
  },
  { method: 'post', path: '/benchmark/runs', valid: { profile } },
  {
    method: 'post',
    path: `/benchmark/runs/${NO_SUCH_ID}/cancel`,
    valid: {},
  },
];

/** `depth` arrays inside each other. */
const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

/** The same value with each of its fields replaced by a wrong type, one at a time. */
function wrongTypes(valid: Record<string, unknown>) {
  return Object.entries(valid).flatMap(([key, value]) =>
    (typeof value === 'string'
      ? [42, ['x'], { $ne: '' }]
      : ['yes', null, { $gt: 0 }]
    ).map(wrong => ({ key, body: { ...valid, [key]: wrong } })),
  );
}

function bodyCases(route: BodyRoute): HostileCase[] {
  const base = { method: route.method, path: route.path };
  // On an id that does not exist, a 404 is as clear a refusal as a 400.
  const refused = route.path.includes(NO_SUCH_ID) ? [400, 404] : [400];
  const json = (value: unknown) => JSON.stringify(value);
  const validJson = json(route.valid);
  const firstString = Object.entries(route.valid).find(
    ([, v]) => typeof v === 'string',
  );
  const cases: HostileCase[] = [
    {
      ...base,
      name: 'malformed JSON',
      body: validJson.slice(0, -1),
      message: /JSON/,
    },
    { ...base, name: 'a JSON array', body: '[]' },
    { ...base, name: 'a bare JSON string', body: '"install"' },
    { ...base, name: 'JSON with a trailing comment', body: `${validJson}//` },
    {
      ...base,
      name: 'an extra field',
      body: json({ ...route.valid, isAdmin: true }),
      message: /isAdmin/,
    },
    {
      ...base,
      name: 'a prototype-polluting field',
      body: `{"__proto__":{"polluted":true},${validJson.slice(1)}`,
    },
    {
      ...base,
      name: 'nesting 20,000 deep',
      body: `{"x":${nested(20_000)}}`,
      message: /nests deeper than 64 levels/,
    },
    {
      ...base,
      name: 'a 30 MB body',
      body: `{"x":"${'a'.repeat(30 * 1024 * 1024)}"}`,
      expect: [413],
    },
    {
      ...base,
      name: 'a form body',
      body: 'action=install&mesh=istio',
      contentType: 'application/x-www-form-urlencoded',
      message: /must be application\/json/,
    },
    {
      ...base,
      name: 'no credentials',
      body: validJson,
      authorization: null,
      expect: [401],
    },
    {
      ...base,
      name: 'a forged user token',
      body: validJson,
      authorization: mockCredentials.user.invalidHeader(),
      expect: [401],
    },
    {
      ...base,
      name: 'a forged service token',
      body: validJson,
      authorization: mockCredentials.service.invalidHeader(),
      expect: [401],
    },
    {
      ...base,
      name: 'a malformed Authorization header',
      body: validJson,
      authorization: 'Bearer',
      expect: [401],
    },
  ];
  if (Object.keys(route.valid).length && route.required !== false) {
    cases.push({ ...base, name: 'no fields', body: '{}' });
  }
  if (firstString) {
    // 0xC3 0x28 is not UTF-8: the bytes must not become U+FFFD in a stored value.
    const [key] = firstString;
    const text = json({ ...route.valid, [key]: 'ZZZZ' });
    const at = text.indexOf('ZZZZ');
    cases.push({
      ...base,
      name: `invalid UTF-8 in '${key}'`,
      body: Buffer.concat([
        Buffer.from(text.slice(0, at)),
        Buffer.from([0x61, 0xc3, 0x28, 0x62]),
        Buffer.from(text.slice(at + 4)),
      ]),
      message: /not valid UTF-8/,
    });
  }
  for (const { key, body } of wrongTypes(route.valid)) {
    cases.push({
      ...base,
      name: `'${key}' as ${JSON.stringify(body[key])}`,
      body: json(body),
      message: new RegExp(`'${key}`),
    });
  }
  return cases.map(c => ({ ...c, expect: c.expect ?? refused }));
}

const HOSTILE_IDS = [
  '..%2F..%2F..%2Fetc%2Fpasswd',
  '%2e%2e%2f%2e%2e%2fmesh_operations',
  "1'%20OR%20'1'='1",
  'a'.repeat(5000),
  '%00',
];

/** Ids and queries of the read and write routes that take them from the URL. */
const URL_CASES: HostileCase[] = [
  // Every id the API hands out is a UUID: anything else is a 400 naming where it was given.
  ...HOSTILE_IDS.flatMap((id): HostileCase[] => [
    {
      name: `operation id ${id.slice(0, 40)}`,
      method: 'get',
      path: `/operations/${id}`,
      message: /^Invalid path parameter 'id': Invalid uuid$/,
    },
    {
      name: `revert of operation id ${id.slice(0, 40)}`,
      method: 'post',
      path: `/operations/${id}/revert`,
      body: '{}',
      message: /^Invalid path parameter 'id': Invalid uuid$/,
    },
    {
      name: `profile id ${id.slice(0, 40)}`,
      method: 'delete',
      path: `/benchmark/profiles/${id}`,
      message: /^Invalid path parameter 'id': Invalid uuid$/,
    },
    {
      name: `cancel of run id ${id.slice(0, 40)}`,
      method: 'post',
      path: `/benchmark/runs/${id}/cancel`,
      message: /^Invalid path parameter 'id': Invalid uuid$/,
    },
    {
      name: `result export of run ${id.slice(0, 40)}`,
      method: 'get',
      path: `/benchmark/results/${id}/export?format=fortio`,
      message: /^Invalid path parameter 'runId': Invalid uuid$/,
    },
    {
      name: `comparison with run ${id.slice(0, 40)}`,
      method: 'get',
      path: `/benchmark/compare?runs=${NO_SUCH_ID},${id}`,
      message: /^Invalid query parameter 'runs\.1': Invalid uuid$/,
    },
    {
      name: `scan id ${id.slice(0, 40)}`,
      method: 'get',
      path: `/validation/scans/${id}`,
      message: /^Invalid path parameter 'id': Invalid uuid$/,
    },
  ]),
  // ... and in a body: a run of a stored profile.
  ...HOSTILE_IDS.map(
    (id): HostileCase => ({
      name: `run of profile id ${id.slice(0, 40)}`,
      method: 'post',
      path: '/benchmark/runs',
      body: JSON.stringify({ profileId: decodeURIComponent(id) }),
      message: /^Invalid body field 'profileId': Invalid uuid$/,
    }),
  ),
  {
    name: 'entity path with traversal',
    method: 'get',
    path: '/entity/component/..%2F..%2Fdefault/productpage/status',
    expect: [400, 404],
  },
  ...[
    ['/operations?limit=abc', 'limit'],
    ['/operations?limit=-1', 'limit'],
    ['/operations?limit=1e9', 'limit'],
    ['/operations?state=exploded', 'state'],
    ['/operations?limit=1&limit=2', 'limit'],
    ['/benchmark/runs?limit=99999999', 'limit'],
    ['/validation/findings?severity=fatal', 'severity'],
    ['/topology?cluster=dev&depth=99', 'depth'],
    ['/topology?cluster=dev&limit=999999', 'limit'],
    ['/topology', 'entity'],
    ['/benchmark/compare?baseline=x', 'runs'],
    [`/benchmark/results/${NO_SUCH_ID}/export?format=../../etc`, 'format'],
  ].map(
    ([p, field]): HostileCase => ({
      name: `query ${p}`,
      method: 'get',
      path: p,
      expect: [400, 404],
      message: new RegExp(`'${field}'`),
    }),
  ),
  {
    name: 'a CR LF in a query value',
    method: 'get',
    path: '/operations?cluster=dev%0D%0ASet-Cookie:%20x=1',
    expect: [200, 400],
  },
];

describe('hostile input to the mesh API', () => {
  let sim: Awaited<ReturnType<typeof startKubeSim>>;
  let backend: TestBackend;
  let knex: Knex;

  beforeAll(async () => {
    sim = await startKubeSim({ seed: [EXAMPLE_CLUSTER] });
    knex = knexFactory({
      client: 'better-sqlite3',
      connection: ':memory:',
      useNullAsDefault: true,
    });
    backend = await startTestBackend({
      features: [
        meshPlugin,
        istioModule,
        linkerdModule,
        mockServices.database.factory({ knex }),
        // Requests without a token are unauthenticated, as in a real backend.
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
        catalogServiceMock.factory({ entities: [] }),
        mockServices.rootConfig.factory({
          data: {
            ...kubernetesClustersConfig([
              { name: 'dev', url: sim.url, token: sim.token },
            ]),
            mesh: { benchmark: { allowedHosts: ['127.0.0.1'] } },
          },
        }),
      ],
    });
  });

  afterAll(async () => {
    await backend?.stop();
    await knex?.destroy();
    await sim?.close();
  });

  /** The cluster's resourceVersion: any write anywhere moves it. */
  async function clusterVersion(): Promise<string> {
    const list = await fetch(`${sim.url}/api/v1/namespaces?limit=1`, {
      headers: { Authorization: `Bearer ${sim.token}` },
    });
    return ((await list.json()) as any).metadata.resourceVersion;
  }

  /**
   * Waits for the seeded cluster's controllers to finish (rollouts, pod status) so that a version
   * change afterwards can only come from a request; a minute at most.
   */
  async function settled() {
    let last = await clusterVersion();
    for (let quiet = 0, i = 0; quiet < 3 && i < 60; i++) {
      await new Promise(r => setTimeout(r, 1000));
      const now = await clusterVersion();
      quiet = now === last ? quiet + 1 : 0;
      last = now;
    }
  }

  /** Rows of every mesh table, and the cluster's resourceVersion. */
  async function state() {
    const tables = (
      await knex.raw(
        "select name from sqlite_master where type = 'table' and name like 'mesh%'",
      )
    ).map((t: { name: string }) => t.name) as string[];
    const rows: Record<string, number> = {};
    for (const t of tables) {
      rows[t] = Number((await knex(t).count({ n: '*' }))[0].n);
    }
    return { rows, clusterVersion: await clusterVersion() };
  }

  /** Sends the case's exact bytes (supertest would serialise a Buffer as JSON). */
  async function send(c: HostileCase) {
    const { port } = backend.server.address() as AddressInfo;
    const headers: Record<string, string> = {};
    if (c.authorization !== null) {
      headers.Authorization = c.authorization ?? USER;
    }
    if (c.body !== undefined) {
      headers['Content-Type'] = c.contentType ?? 'application/json';
    }
    const res = await fetch(`http://127.0.0.1:${port}/api/mesh${c.path}`, {
      method: c.method.toUpperCase(),
      headers,
      body: c.body,
    });
    const text = await res.text();
    let body: any;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    return {
      status: res.status,
      text,
      body,
      headers: Object.fromEntries(res.headers.entries()),
    };
  }

  const cases = [...BODY_ROUTES.flatMap(bodyCases), ...URL_CASES];

  it(`refuses ${cases.length} hostile requests with a clear 4xx, storing and applying nothing`, async () => {
    // The mesh API's sanity first: the valid bodies of the read-only routes are accepted.
    const ok = await send({
      name: 'valid',
      method: 'post',
      path: '/validate',
      body: JSON.stringify(BODY_ROUTES[4].valid),
    });
    expect(ok.status).toBe(200);

    await settled();
    const before = await state();
    const failures: string[] = [];
    for (const c of cases) {
      const res = await send(c);
      if (
        process.env.HOSTILE_DEBUG &&
        c.name.includes(process.env.HOSTILE_DEBUG)
      ) {
        // eslint-disable-next-line no-console
        console.log(
          c.method,
          c.path,
          c.name,
          res.status,
          res.text.slice(0, 300),
        );
      }
      const allowed = c.expect ?? [400];
      const body = res.body as { error?: { name?: string; message?: string } };
      const injected = Object.keys(res.headers).some(h =>
        /set-cookie|injected/i.test(h),
      );
      if (!allowed.includes(res.status)) {
        failures.push(
          `${c.method.toUpperCase()} ${c.path.slice(0, 80)} (${c.name}): ${
            res.status
          } ${JSON.stringify(res.body).slice(0, 200)}`,
        );
      } else if (
        res.status === 400 &&
        c.message &&
        !c.message.test(body?.error?.message ?? '')
      ) {
        failures.push(
          `${c.method.toUpperCase()} ${c.path.slice(0, 80)} (${
            c.name
          }): refused for another reason: ${body?.error?.message}`,
        );
      } else if (res.status >= 400 && !body?.error?.message) {
        failures.push(
          `${c.method.toUpperCase()} ${c.path.slice(0, 80)} (${c.name}): ${
            res.status
          } without an error message: ${String(res.text).slice(0, 200)}`,
        );
      } else if (injected) {
        failures.push(`${c.name}: a header was injected`);
      }
    }
    expect(failures).toEqual([]);
    expect(await state()).toEqual(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
