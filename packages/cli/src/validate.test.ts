import { IstioAdapter } from '@meshstage/plugin-mesh-backend-module-istio';
import { LinkerdAdapter } from '@meshstage/plugin-mesh-backend-module-linkerd';
import { startKubeSim } from '@meshstage/kube-sim';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runCli } from './index';
import { KubeconfigClusterView, loadKubeConfig } from './kubeconfigView';
import type { CliIo } from './validate';

const FIXTURES = path.join(__dirname, '__fixtures__');

async function cli(argv: string[], cwd = FIXTURES) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: t => (stdout += t),
    stderr: t => (stderr += t),
    cwd,
    openCluster: (ctx, kubeconfig) =>
      new KubeconfigClusterView(loadKubeConfig(ctx, kubeconfig)),
    adapters: [new IstioAdapter(), new LinkerdAdapter()],
  };
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}

describe('meshstage validate (files)', () => {
  it('prints exactly one JSON object with positions relative to the working directory', async () => {
    const { code, stdout, stderr } = await cli([
      'validate',
      'broken',
      '--format',
      'json',
    ]);
    expect(stderr).toBe('');
    expect(code).toBe(1);
    const { findings, ...rest } = JSON.parse(stdout);
    expect(rest).toEqual({});
    expect(
      findings.map((f: any) => [
        f.code,
        f.source.file,
        f.source.line,
        f.source.column,
        Boolean(f.suppressed),
      ]),
    ).toEqual([
      ['MS0202', 'broken/app.yaml', 21, 14, true],
      ['MS0227', 'broken/app.yaml', 21, 14, true],
      ['MS0201', 'broken/app.yaml', 25, 13, false],
      ['MS0002', 'broken/notes.yml', 1, 1, false],
    ]);
  });

  it('prints a text report and honours --fail-on and --suppress', async () => {
    const text = await cli([
      'validate',
      'broken/app.yaml',
      '--suppress',
      'IST0101=VirtualService/shop/*',
    ]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(
      'broken/app.yaml:25:13  error   MS0201 (IST0101)  VirtualService shop/cart: Referenced host not found: "kart"',
    );
    expect(text.stdout).toContain('[suppressed by config]');
    expect(text.stdout.trim().split('\n').pop()).toBe(
      '0 error(s), 0 warning(s), 0 info, 3 suppressed.',
    );
    expect(
      (await cli(['validate', 'broken/notes.yml', '--fail-on', 'never'])).code,
    ).toBe(0);
  });

  it('writes SARIF 2.1.0 with rules and physical locations', async () => {
    const { code, stdout } = await cli([
      'validate',
      'broken/app.yaml',
      '--format',
      'sarif',
    ]);
    expect(code).toBe(1);
    const sarif = JSON.parse(stdout);
    expect(sarif.version).toBe('2.1.0');
    const run = sarif.runs[0];
    expect(run.tool.driver.rules.map((r: any) => r.id)).toEqual([
      'MS0201',
      'MS0202',
      'MS0227',
    ]);
    expect(run.tool.driver.rules[0].helpUri).toMatch(
      /validation-codes\.md#ms0201$/,
    );
    expect(run.results[2]).toMatchObject({
      ruleId: 'MS0201',
      level: 'error',
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: 'broken/app.yaml' },
            region: { startLine: 25, startColumn: 13 },
          },
        },
      ],
    });
    expect(run.results[0].suppressions).toEqual([{ kind: 'inSource' }]);
  });

  it('exits 2 with a one-line reason on bad usage or unreadable input', async () => {
    for (const argv of [
      ['validate'],
      ['validate', 'no-such-dir'],
      ['validate', 'broken', '--format', 'xml'],
      ['validate', 'broken', '--bogus'],
      ['frobnicate'],
    ]) {
      const r = await cli(argv);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^meshstage: [^\n]+\n$/);
    }
  });
});

describe('meshstage validate --cluster', () => {
  let sim: Awaited<ReturnType<typeof startKubeSim>>;
  let kubeconfig: string;
  beforeAll(async () => {
    sim = await startKubeSim({
      seed: [path.join(FIXTURES, 'cluster')],
      controllers: false,
    });
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'meshstage-cli-'));
    kubeconfig = path.join(dir, 'kubeconfig');
    await sim.writeKubeconfig(kubeconfig, { name: 'sim' });
  });
  afterAll(async () => {
    await sim?.close();
  });

  it('reads the kinds the analyzers need from the cluster', async () => {
    const { code, stdout, stderr } = await cli([
      'validate',
      '--cluster',
      'sim',
      '--kubeconfig',
      kubeconfig,
      '--format',
      'json',
    ]);
    expect(stderr).toBe('');
    expect(code).toBe(1);
    const { findings } = JSON.parse(stdout);
    expect(
      findings.map((f: any) => [f.code, f.resource.name, f.path, f.source]),
    ).toEqual([
      ['MS0201', 'reviews', '/spec/http/0/route/0/destination/host', undefined],
      // The cluster's `default` namespace has no injection label (istioctl: IST0102).
      ['MS0243', 'default', '/metadata/name', undefined],
    ]);
  });

  it('lets files override the cluster objects they redefine', async () => {
    const { stdout } = await cli([
      'validate',
      'files',
      '--cluster',
      'sim',
      '--kubeconfig',
      kubeconfig,
      '--format',
      'json',
    ]);
    const { findings } = JSON.parse(stdout);
    expect(
      findings.map((f: any) => [f.code, f.source?.file, f.source?.line]),
    ).toEqual([
      ['MS0203', 'files/reviews-vs.yaml', 9],
      ['MS0243', undefined, undefined],
    ]);
  });

  it('validates the rest of a cluster that refuses to list a kind, and says which (MS0005)', async () => {
    sim.faults.set(
      'forbidden403=1,verbs=list,resources=clusterroles.rbac.authorization.k8s.io',
    );
    try {
      const { code, stdout, stderr } = await cli([
        'validate',
        '--cluster',
        'sim',
        '--kubeconfig',
        kubeconfig,
        '--format',
        'json',
      ]);
      expect(stderr).toBe('');
      expect(code).toBe(1);
      const { findings } = JSON.parse(stdout);
      expect(
        findings.map((f: any) => [f.code, f.severity, f.resource?.name]),
      ).toEqual([
        ['MS0201', 'error', 'reviews'],
        ['MS0005', 'warning', undefined],
        ['MS0243', 'info', 'default'],
      ]);
      expect(findings[1].message).toBe(
        'MeshStage may not list ClusterRole objects (rbac.authorization.k8s.io/v1) on this cluster, so the checks that read them (MS0329) were skipped: clusterroles.rbac.authorization.k8s.io is forbidden: User "kube-sim-admin" cannot list resource "clusterroles" in API group "rbac.authorization.k8s.io" (injected by kube-sim --faults)',
      );
    } finally {
      sim.faults.clear();
    }
  });

  it('exits 2 on an unknown context', async () => {
    const r = await cli([
      'validate',
      '--cluster',
      'nope',
      '--kubeconfig',
      kubeconfig,
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^meshstage: cannot use cluster "nope": kubeconfig has no context "nope"/,
    );
  });
});

describe('userCwd', () => {
  const { userCwd } = jest.requireActual('./index') as typeof import('./index');
  it("uses the project root when run through this package's own yarn script", () => {
    expect(
      userCwd({
        npm_package_name: '@meshstage/cli',
        INIT_CWD: process.cwd(),
        PROJECT_CWD: '/repo',
      }),
    ).toBe('/repo');
  });
  it('uses INIT_CWD otherwise, then the process cwd', () => {
    expect(
      userCwd({
        npm_package_name: 'other',
        INIT_CWD: '/somewhere',
        PROJECT_CWD: '/repo',
      }),
    ).toBe('/somewhere');
    expect(userCwd({})).toBe(process.cwd());
  });
});
