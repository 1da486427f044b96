import { createMockDirectory } from '@backstage/backend-test-utils';
import fs from 'node:fs';
import path from 'node:path';
import { runAction } from '../__testUtils__/actionContext';
import {
  startMeshTestBackend,
  type MeshTestBackend,
} from '../__testUtils__/meshTestBackend';

// mesh:validate over files of a real workspace directory, analysed by a real mesh backend (the
// Istio adapter's rules, kube-sim for the cluster case) over HTTP; the SARIF report is read back
// from the workspace.
jest.setTimeout(120_000);

const BROKEN = path.resolve(__dirname, '../../../../examples/broken');

/** A Namespace, Deployment and Service without problems. */
const CLEAN = `apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels:
    istio-injection: enabled
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: cart
  namespace: shop
spec:
  selector:
    matchLabels: { app: cart }
  template:
    metadata:
      labels: { app: cart }
    spec:
      containers:
        - name: cart
          image: meshstage/echo:0.1.0
          ports:
            - { name: http, containerPort: 8080 }
---
apiVersion: v1
kind: Service
metadata:
  name: cart
  namespace: shop
spec:
  selector: { app: cart }
  ports:
    - { name: http, port: 8080, targetPort: http }
`;

/** A route to bookinfo's reviews Service, which only the cluster has. */
const ROUTE_TO_REVIEWS = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews
  namespace: bookinfo
spec:
  hosts: [reviews]
  http:
    - route:
        - destination:
            host: reviews
`;

describe('mesh:validate', () => {
  let t: MeshTestBackend;
  const workspace = createMockDirectory();
  const run = (input: Record<string, unknown>, isDryRun = false) =>
    runAction(t.actions.get('mesh:validate'), input, {
      isDryRun,
      workspacePath: workspace.path,
    });
  const sarif = (p = 'mesh-validation.sarif') =>
    JSON.parse(fs.readFileSync(path.join(workspace.path, p), 'utf8'));

  beforeAll(async () => {
    t = await startMeshTestBackend();
  });
  afterAll(() => t?.stop());
  beforeEach(() => {
    const broken = Object.fromEntries(
      fs
        .readdirSync(BROKEN)
        .filter(f => f.endsWith('.yaml'))
        .map(f => [
          `broken/${f}`,
          fs.readFileSync(path.join(BROKEN, f), 'utf8'),
        ]),
    );
    workspace.setContent({
      ...broken,
      'clean/app.yaml': CLEAN,
      'clean/README.md': 'not a manifest',
      'route/reviews.yaml': ROUTE_TO_REVIEWS,
    });
  });

  it('passes clean manifests, with zero counts and an empty SARIF report', async () => {
    const { outputs } = await run({ paths: ['clean'] });
    expect(outputs()).toMatchObject({
      files: 1,
      errors: 0,
      warnings: 0,
      failing: 0,
      sarifPath: 'mesh-validation.sarif',
    });
    expect(sarif().runs[0].results).toEqual([]);
  });

  it("fails on examples/broken's errors with the first findings, and writes every finding to SARIF", async () => {
    const failure = await run({ paths: ['broken'] }).catch(e => e);
    expect(failure).toBeInstanceOf(Error);
    const counts = failure.action.outputs();
    expect(counts.errors).toBeGreaterThanOrEqual(10);
    expect(counts.failing).toBe(counts.errors);
    // The count, the report, then the first five failing findings as the CLI prints them.
    expect(failure.message).toMatch(
      new RegExp(
        `^Validation found ${counts.errors} finding\\(s\\) at or above 'error' \\(report: mesh-validation\\.sarif\\): broken/[\\w-]+\\.yaml:\\d+:\\d+ {2}error {3}MS\\d{4}`,
      ),
    );
    expect(failure.message.split('; broken/')).toHaveLength(5);
    expect(failure.message).toMatch(
      new RegExp(`; and ${counts.errors - 5} more$`),
    );
    const results = sarif().runs[0].results;
    const codes = results.map((r: any) => r.ruleId);
    // Istio's rules ran, not only the generic ones.
    expect(codes).toEqual(
      expect.arrayContaining([
        'MS0103',
        'MS0201',
        'MS0202',
        'MS0203',
        'MS0105',
      ]),
    );
    expect(results.length).toBe(
      counts.errors + counts.warnings + counts.infos + counts.suppressed,
    );
    // At the line examples/broken marks with `# expect: MS0201`.
    const shop = fs
      .readFileSync(path.join(BROKEN, '20-shop.yaml'), 'utf8')
      .split('\n');
    const marked = shop.findIndex(l => l.includes('# expect: MS0201')) + 1;
    expect(marked).toBeGreaterThan(0);
    const ms0201 = results.find((r: any) => r.ruleId === 'MS0201');
    expect(ms0201.locations[0].physicalLocation).toMatchObject({
      artifactLocation: { uri: 'broken/20-shop.yaml' },
      region: { startLine: marked },
    });
  });

  it("failOn 'never' passes with the same counts; suppressions count as suppressed", async () => {
    const { outputs } = await run({
      paths: ['broken'],
      failOn: 'never',
      suppress: ['MS0103'],
      sarifPath: 'reports/mesh.sarif',
    });
    expect(outputs()).toMatchObject({ failing: 0, suppressed: 1 });
    expect(outputs().errors).toBeGreaterThanOrEqual(9);
    expect(sarif('reports/mesh.sarif').runs[0].results.length).toBeGreaterThan(
      10,
    );
  });

  it("reads the cluster's live objects when given a cluster", async () => {
    const alone = await run({ paths: ['route'] }).catch(e => e);
    expect(alone.message).toMatch(
      /MS0201 .*Referenced host not found: "reviews"/,
    );
    const { outputs } = await run({ paths: ['route'], cluster: 'dev' });
    expect(outputs()).toMatchObject({ errors: 0, failing: 0 });
  });

  it('dry run: validates the same way (it only reads)', async () => {
    await expect(run({ paths: ['broken'] }, true)).rejects.toThrow(
      /^Validation found \d+ finding/,
    );
    const { outputs } = await run({ paths: ['clean'] }, true);
    expect(outputs()).toMatchObject({ errors: 0, failing: 0 });
  });

  it('refuses paths outside the workspace, missing paths and bad suppressions, naming the input', async () => {
    await expect(run({ paths: ['clean', '../../etc'] })).rejects.toThrow(
      "Invalid input 'paths.1': '../../etc' is outside the workspace",
    );
    await expect(run({ paths: ['/etc/hosts'] })).rejects.toThrow(
      "Invalid input 'paths.0': '/etc/hosts' is outside the workspace",
    );
    await expect(run({ paths: ['nope'] })).rejects.toThrow(
      "Invalid input 'paths.0': 'nope' does not exist in the workspace",
    );
    await expect(
      run({ paths: ['clean'], sarifPath: '../out.sarif' }),
    ).rejects.toThrow(
      "Invalid input 'sarifPath': '../out.sarif' is outside the workspace",
    );
    await expect(
      run({ paths: ['clean'], suppress: ['=Service/shop/cart'] }),
    ).rejects.toThrow(
      "Invalid input 'suppress.0': '=Service/shop/cart' has no code",
    );
    fs.mkdirSync(path.join(workspace.path, 'empty'));
    await expect(run({ paths: ['empty'] })).rejects.toThrow(
      "Invalid input 'paths': no .yaml, .yml or .json files in empty",
    );
  });
});
