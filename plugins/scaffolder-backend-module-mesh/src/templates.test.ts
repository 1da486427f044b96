import { mockCredentials } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
// Resolves from the workspace like the test utilities' imports (see meshTestBackend.ts).
import { parse as parseYaml } from 'yaml';
import {
  eventually,
  startMeshTestBackend,
  testEntities,
  type MeshTestBackend,
} from './__testUtils__/meshTestBackend';

// The three templates of examples/templates in a real scaffolder (@backstage/plugin-scaffolder-
// backend) with this module, beside a real mesh backend (Istio and Linkerd adapters) over
// kube-sim seeded like the dev cluster: each passes the scaffolder's dry run
// (POST /api/scaffolder/v2/dry-run), and the two that publish nothing run to completion as
// scaffolder tasks (POST /api/scaffolder/v2/tasks). The catalog is catalogServiceMock holding the
// templates and the entities (see startMeshTestBackend), read by the scaffolder and the mesh
// backend alike. Real rollouts and benchmark runs: generous ceilings on the shared machine.
jest.setTimeout(300_000);

const TEMPLATES = path.resolve(__dirname, '../../../examples/templates');

/** A template file as the catalog would hold it, with the location its relative URLs resolve against. */
function templateEntity(name: string): Entity {
  const file = path.join(TEMPLATES, name, 'template.yaml');
  const entity = parseYaml(fs.readFileSync(file, 'utf8')) as Entity;
  entity.metadata.namespace = 'default';
  entity.metadata.annotations = {
    ...entity.metadata.annotations,
    'backstage.io/managed-by-location': `file:${file}`,
    'backstage.io/managed-by-origin-location': `file:${file}`,
  };
  return entity;
}

/** Every file of a template's directory, as the dry-run route takes them. */
function directoryContents(name: string) {
  const root = path.join(TEMPLATES, name);
  const files: { path: string; base64Content: string }[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else {
        files.push({
          path: path.relative(root, p).split(path.sep).join('/'),
          base64Content: fs.readFileSync(p).toString('base64'),
        });
      }
    }
  };
  walk(root);
  return files;
}

type LogEntry = { body: { message: string; stepId?: string; status?: string } };

describe('the MeshStage templates in the scaffolder', () => {
  let t: MeshTestBackend;
  let target: http.Server;
  let served = 0;
  const templates = [
    'new-meshed-service',
    'onboard-existing-service',
    'install-or-upgrade-mesh',
  ];

  /** A scaffolder request as user:default/ann. */
  async function scaffolder(p: string, body?: unknown) {
    const res = await fetch(`${t.baseUrl}/api/scaffolder${p}`, {
      method: body ? 'POST' : 'GET',
      headers: {
        Authorization: `Bearer ${mockCredentials.user.token(
          'user:default/ann',
        )}`,
        ...(body ? { 'Content-Type': 'application/json' } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, body: await res.json() };
  }

  /** Dry-runs a template; expects every step to have completed. */
  async function dryRun(name: string, values: Record<string, unknown>) {
    const template = templateEntity(name);
    const res = await scaffolder('/v2/dry-run', {
      template,
      values,
      directoryContents: directoryContents(name),
    });
    if (res.status !== 200) {
      throw new Error(
        `dry run of ${name}: ${res.status} ${JSON.stringify(res.body)}`,
      );
    }
    const log: LogEntry[] = res.body.log;
    const steps: { id: string }[] = res.body.steps;
    const finished = steps.map(
      s =>
        log.findLast(l => l.body.stepId === s.id && l.body.status)?.body
          .status ?? 'no status',
    );
    expect(steps.map((s, i) => `${s.id}: ${finished[i]}`)).toEqual(
      steps.map(s => `${s.id}: completed`),
    );
    return res.body as {
      output: { text?: { title: string; content: string }[]; links?: any[] };
      directoryContents: { path: string; base64Content: string }[];
      log: LogEntry[];
    };
  }

  /** Runs a template as a scaffolder task to its end; returns its status, output and log. */
  async function runTask(name: string, values: Record<string, unknown>) {
    const created = await scaffolder('/v2/tasks', {
      templateRef: `template:default/${name}`,
      values,
    });
    expect(created.status).toBe(201);
    const id = created.body.id;
    const status = await eventually(async () => {
      const { body } = await scaffolder(`/v2/tasks/${id}`);
      return ['completed', 'failed', 'cancelled'].includes(body.status)
        ? (body.status as string)
        : undefined;
    }, 240_000);
    const events: { type: string; body: any }[] = (
      await scaffolder(`/v2/tasks/${id}/events`)
    ).body;
    const completion = events.find(e => e.type === 'completion');
    const log = events
      .filter(e => e.type === 'log')
      .map(e => String(e.body.message));
    return { status, output: completion?.body.output, log };
  }

  beforeAll(async () => {
    target = http.createServer((_req, res) => {
      served++;
      res.end('ok');
    });
    await new Promise<void>(resolve => target.listen(0, '127.0.0.1', resolve));
    const targetUrl = `http://127.0.0.1:${
      (target.address() as AddressInfo).port
    }/`;

    // productpage names its performance profile, as a team would annotate it.
    const entities = testEntities.map(e =>
      e.metadata.name === 'productpage'
        ? {
            ...e,
            metadata: {
              ...e.metadata,
              annotations: {
                ...e.metadata.annotations,
                'meshstage.io/performance-profile': 'productpage smoke',
              },
            },
          }
        : e,
    );
    t = await startMeshTestBackend({
      features: [scaffolderPlugin],
      withScaffolder: true,
      entities: [
        ...entities,
        {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Group',
          metadata: { name: 'guests', namespace: 'default' },
          spec: { type: 'team', children: [] },
        },
        ...templates.map(templateEntity),
      ],
    });
    // The service's endpoint: a real local server stands in for productpage (kube-sim only
    // simulates its pods).
    await t.meshApi('/benchmark/profiles', {
      body: {
        name: 'productpage smoke',
        entityRef: 'component:default/productpage',
        endpoints: [{ url: targetUrl }],
        connections: 2,
        requestCount: 200,
      },
    });
  });
  afterAll(async () => {
    await t?.stop();
    target?.closeAllConnections();
    await new Promise(resolve => target?.close(resolve));
  });

  it("lists the four actions with their examples and schemas in the scaffolder's action list", async () => {
    const { body } = await scaffolder('/v2/actions');
    const mesh = body.filter((a: any) => a.id.startsWith('mesh:'));
    expect(mesh.map((a: any) => a.id)).toEqual([
      'mesh:benchmark',
      'mesh:install',
      'mesh:onboard',
      'mesh:validate',
    ]);
    for (const action of mesh) {
      expect(action.examples.length).toBeGreaterThan(0);
      expect(action.schema.input.properties).toBeDefined();
      expect(action.schema.output.properties).toBeDefined();
    }
  });

  it('"Install or upgrade a mesh on a cluster" passes the dry run, showing the plan and changing nothing', async () => {
    const { output } = await dryRun('install-or-upgrade-mesh', {
      cluster: 'dev',
      mesh: 'istio',
      version: '1.23.4',
    });
    expect(output.text?.[0].title).toBe('Install Istio 1.23.4 on dev');
    expect(output.text?.[0].content).toContain(
      '**Action:** install · **state:** dry-run',
    );
    expect(output.text?.[0].content).toMatch(
      /^\d+\. Apply Deployment\/istio-system\/istiod$/m,
    );
    expect((await t.meshApi('/operations')).items).toEqual([]);
  });

  it('"New meshed service" passes the dry run for both meshes and pinned to a cluster, with validated files', async () => {
    const cases = [
      { mesh: 'istio', files: 7 },
      { mesh: 'linkerd', files: 6 },
      // Pinned to a cluster: the annotation, and validation over the cluster's objects.
      { mesh: 'istio', files: 7, cluster: 'dev' },
    ];
    for (const { mesh, files: fileCount, cluster } of cases) {
      const {
        output,
        directoryContents: files,
        log,
      } = await dryRun(
        'new-meshed-service',
        // As the form sends them, its defaults filled in.
        {
          name: 'cart',
          description: 'A service in the mesh',
          owner: 'group:default/guests',
          namespace: 'shop',
          mesh,
          ...(cluster ? { cluster } : {}),
          image: 'meshstage/echo:0.1.0',
          port: 8080,
          replicas: 2,
        },
      );
      expect(output.text?.[0].title).toBe(`Validated ${fileCount} manifest(s)`);
      expect(output.text?.[0].content).toContain(
        '**0** error(s), **0** warning(s)',
      );
      expect(
        log.some(l =>
          l.body.message.includes(
            `Validating ${fileCount} file(s)${
              cluster ? ` over the live objects of cluster ${cluster}` : ''
            }: `,
          ),
        ),
      ).toBe(true);
      const byPath = Object.fromEntries(
        files.map(f => [
          f.path,
          Buffer.from(f.base64Content, 'base64').toString(),
        ]),
      );
      expect(Object.keys(byPath).sort()).toEqual(
        expect.arrayContaining([
          'catalog-info.yaml',
          'k8s/deployment.yaml',
          'k8s/service.yaml',
          'k8s/mesh/namespace.yaml',
          'mesh-validation.sarif',
        ]),
      );
      const catalogInfo = parseYaml(byPath['catalog-info.yaml']);
      expect(catalogInfo.metadata.annotations).toEqual({
        'backstage.io/kubernetes-id': 'cart',
        'backstage.io/kubernetes-namespace': 'shop',
        'meshstage.io/mesh': mesh,
        ...(cluster ? { 'meshstage.io/cluster': cluster } : {}),
      });
      // Nothing about the generated files (with a cluster, its own objects may get notes).
      const results = JSON.parse(byPath['mesh-validation.sarif']).runs[0]
        .results;
      expect(
        results.filter((r: any) =>
          r.locations.some((l: any) => l.physicalLocation),
        ),
      ).toEqual([]);
      expect(results.length === 0 || Boolean(cluster)).toBe(true);
    }
  });

  it('"Onboard an existing service to a mesh" fails its dry run with the reason while the mesh is not installed', async () => {
    const res = await scaffolder('/v2/dry-run', {
      template: templateEntity('onboard-existing-service'),
      values: { entityRef: 'component:default/productpage', mesh: 'istio' },
      directoryContents: [],
    });
    expect(JSON.stringify(res.body)).toContain(
      'Istio is not installed on dev; install it before onboarding bookinfo',
    );
  });

  it('"Install or upgrade a mesh on a cluster" installs Istio as a scaffolder task', async () => {
    const { status, output, log } = await runTask('install-or-upgrade-mesh', {
      cluster: 'dev',
      mesh: 'istio',
      version: '1.23.4',
      profile: 'minimal',
    });
    expect({ status, log: status === 'completed' ? [] : log }).toEqual({
      status: 'completed',
      log: [],
    });
    expect(output.text[0].content).toMatch(
      /\*\*Action:\*\* install · \*\*state:\*\* succeeded · \*\*operation:\*\* `[0-9a-f-]+`/,
    );
    const [operation] = (await t.meshApi('/operations')).items;
    expect(operation).toMatchObject({
      action: 'install',
      state: 'succeeded',
      createdBy: 'user:default/ann',
    });
    expect(output.text[0].content).toContain(operation.id);
  });

  it('"Onboard an existing service to a mesh" passes the dry run once the mesh is installed, running nothing', async () => {
    const servedBefore = served;
    const operations = (await t.meshApi('/operations')).items.length;
    const { output } = await dryRun('onboard-existing-service', {
      entityRef: 'component:default/productpage',
      mesh: 'istio',
    });
    expect(output.text?.[0].title).toBe('Onboarded bookinfo on dev to istio');
    expect(output.text?.[0].content).toContain(
      'Onboard namespace bookinfo to Istio on dev, **dry-run**',
    );
    expect(served).toBe(servedBefore);
    expect((await t.meshApi('/operations')).items.length).toBe(operations);
    expect((await t.meshApi('/benchmark/runs')).items).toEqual([]);
  });

  it('"Onboard an existing service to a mesh" benchmarks, onboards and benchmarks again as a scaffolder task', async () => {
    const { status, output, log } = await runTask('onboard-existing-service', {
      entityRef: 'component:default/productpage',
      mesh: 'istio',
      maxErrorRate: 0.01,
    });
    expect({ status, log: status === 'completed' ? [] : log }).toEqual({
      status: 'completed',
      log: [],
    });
    // The operation, as a user sees it in the history and on the cluster.
    const onboard = (await t.meshApi('/operations')).items.find(
      (o: any) => o.action === 'onboard',
    );
    expect(onboard).toMatchObject({
      state: 'succeeded',
      summary: 'Onboard namespace bookinfo to Istio on dev',
      createdBy: 'user:default/ann',
    });
    const ns = await t.kube('/api/v1/namespaces/bookinfo');
    expect(ns.metadata.labels).toMatchObject({ 'istio-injection': 'enabled' });

    // Both runs are the entity's profile's, the second recorded as running in Istio.
    const runs = (await t.meshApi('/benchmark/runs')).items;
    expect(runs.map((r: any) => [r.state, r.profile.name])).toEqual([
      ['succeeded', 'productpage smoke'],
      ['succeeded', 'productpage smoke'],
    ]);
    const [after, before] = runs;
    expect(after.mesh).toBe('istio');

    const text = output.text[0];
    expect(text.title).toBe('Onboarded bookinfo on dev to istio');
    expect(text.content).toContain(
      `**Operation** \`${onboard.id}\`: Onboard namespace bookinfo to Istio on dev, **succeeded**`,
    );
    expect(text.content).toMatch(
      new RegExp(`^\\| Before \\| \`${before.id}\` \\| 200 \\| 0 \\| `, 'm'),
    );
    expect(text.content).toMatch(
      new RegExp(`^\\| After \\| \`${after.id}\` \\| 200 \\| 0 \\| `, 'm'),
    );
    expect(text.content).toContain(
      '| Metric | Before | After | Difference | Verdict |',
    );
    expect(output.links).toEqual([
      {
        title: 'The service',
        icon: 'catalog',
        entityRef: 'component:default/productpage',
      },
      {
        title: 'Its Performance tab (both runs)',
        url: '/catalog/default/component/productpage/performance',
      },
      {
        title: 'The onboarding operation (Service mesh page, Operations)',
        url: '/mesh?tab=operations',
      },
    ]);
  });
});
