import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  eventually,
  KubectlFixture,
  kubectlFixture,
  run,
} from '../__testUtils__/kubectl';

jest.setTimeout(180_000);

const BIN = resolve(__dirname, '../../bin/kube-sim');

// Each fault as the real kubectl (client-go) reports it, so the faults look like a real API
// server's: its error lines, its retry of 429 with Retry-After, a refused connection while the
// API server restarts.
describe('kube-sim faults seen by kubectl', () => {
  let k: KubectlFixture;

  beforeAll(async () => {
    k = await kubectlFixture();
    await k.ok(['create', 'configmap', 'target', '--from-literal=a=1']);
  });
  afterEach(() => k.sim.faults.clear());
  afterAll(() => k?.close());

  const only = (match: object) => ({ names: ['target'], ...match });

  it('prints the API server’s InternalError for a 500', async () => {
    k.sim.faults.failNext({ status: 500, match: only({}) });
    const r = await k.kubectl(['get', 'configmap', 'target']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'Error from server (InternalError): Internal error occurred: injected by kube-sim --faults',
    );
  });

  it('waits out two 429s with Retry-After and succeeds, as client-go does', async () => {
    k.sim.faults.failNext({
      status: 429,
      retryAfter: 1,
      count: 2,
      match: only({}),
    });
    const out = await k.ok(['get', 'configmap', 'target', '-o', 'name']);
    expect(out.trim()).toBe('configmap/target');
    expect(k.sim.faults.stats()).toEqual([
      expect.objectContaining({ matched: 3, applied: 2, injected: 2 }),
    ]);
  });

  it('prints Conflict, Forbidden and Invalid for writes the way it prints real ones', async () => {
    k.sim.faults.failNext({ status: 409, match: only({ verbs: ['patch'] }) });
    const conflict = await k.kubectl([
      'annotate',
      'configmap',
      'target',
      'x=y',
    ]);
    expect(conflict.code).toBe(1);
    expect(conflict.stderr).toContain(
      'Error from server (Conflict): Operation cannot be fulfilled on configmaps "target": the object has been modified; please apply your changes to the latest version and try again',
    );

    k.sim.faults.failNext({ status: 403, match: only({ verbs: ['delete'] }) });
    const forbidden = await k.kubectl(['delete', 'configmap', 'target']);
    expect(forbidden.code).toBe(1);
    expect(forbidden.stderr).toContain(
      'Error from server (Forbidden): configmaps "target" is forbidden: User "kube-sim-admin" cannot delete resource "configmaps" in API group "" in the namespace "default"',
    );

    k.sim.faults.failNext({ status: 422, match: only({ verbs: ['patch'] }) });
    const manifest = k.file(
      'target.yaml',
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: target\n  namespace: default\ndata:\n  a: "2"\n',
    );
    const invalid = await k.kubectl(['apply', '--server-side', '-f', manifest]);
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toContain(
      'The ConfigMap "target" is invalid: metadata: Forbidden: injected by kube-sim --faults',
    );
    // nothing was written
    expect(
      await k.ok(['get', 'configmap', 'target', '-o', 'jsonpath={.data.a}']),
    ).toBe('1');
  });

  it('reports a connection cut in the middle of the answer as client-go does', async () => {
    k.sim.faults.failNext({ status: 'cut', cutAt: 'body', match: only({}) });
    const r = await k.kubectl(['get', 'configmap', 'target', '-o', 'name']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'error: unexpected error when reading response body. Please retry. Original error: unexpected EOF',
    );
    expect(k.sim.faults.injected.at(-1)).toMatchObject({
      kind: 'cut',
      verb: 'get',
    });
  });

  it('ends kubectl get --watch when its watch is dropped', async () => {
    const watch = k.stream(['get', 'configmaps', '--watch', '-o', 'name']);
    await eventually(() => watch.stdout.includes('configmap/target'));
    await eventually(
      () =>
        k.sim.faults.dropWatches({ match: { resources: ['configmaps'] } }) > 0,
    );
    await eventually(() => watch.exited);
    await watch.stop();
    expect(k.sim.faults.injected.at(-1)).toMatchObject({
      kind: 'dropWatch',
      resource: 'configmaps',
    });
  });

  it('refuses connections while the API server restarts, then serves the same objects', async () => {
    let whileDown: { code: number | null; stderr: string } | undefined;
    await k.sim.restart({
      downMs: 100,
      whileDown: async () => {
        whileDown = await k.kubectl(['get', 'configmap', 'target']);
      },
    });
    expect(whileDown?.code).toBe(1);
    expect(whileDown?.stderr).toMatch(
      /^The connection to the server 127\.0\.0\.1:\d+ was refused/,
    );
    expect(
      await k.ok(['get', 'configmap', 'target', '-o', 'jsonpath={.data.a}']),
    ).toBe('1');
  });
});

describe('kube-sim --faults', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'kube-sim-faults-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses a bad spec with exit code 2 and one line naming the bad part', async () => {
    const r = await run(
      process.execPath,
      [
        BIN,
        '--port',
        '0',
        '--kubeconfig',
        join(dir, 'kc'),
        '--faults',
        'latency=200ms,error500=2',
      ],
      { PATH: process.env.PATH },
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'kube-sim: invalid --faults: "error500=2": want a chance from 0 to 1 (or 0% to 100%)\n',
    );
  });

  it('explains the spec language in --help', async () => {
    const r = await run(process.execPath, [BIN, '--help'], {
      PATH: process.env.PATH,
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('--faults <spec>');
    expect(r.stdout).toContain('throttle429=P[:retryAfter=S]');
  });

  it('injects the faults given on the command line, with the seed shown', async () => {
    const kubeconfig = join(dir, 'kc-faults');
    const child = spawn(
      process.execPath,
      [
        BIN,
        '--port',
        '0',
        '--kubeconfig',
        kubeconfig,
        '--plain-http',
        '--faults',
        'error500=1,count=1,verbs=get,resources=namespaces',
        '--faults',
        'seed=42',
      ],
      { env: { PATH: process.env.PATH } },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', d => (stdout += d));
    child.stderr.on('data', d => (stderr += d));
    const exited = new Promise(r => child.on('exit', r));
    try {
      await eventually(() => stdout.includes('\n'));
      expect(stderr).toContain(
        'faults: error500=1,count=1,verbs=get,resources=namespaces;seed=42 (seed 42)',
      );
      const env = { PATH: process.env.PATH, HOME: dir, KUBECONFIG: kubeconfig };
      const first = await run(
        '/usr/bin/kubectl',
        ['get', 'namespace', 'default'],
        env,
      );
      expect(first.code).toBe(1);
      expect(first.stderr).toContain('Error from server (InternalError)');
      const second = await run(
        '/usr/bin/kubectl',
        ['get', 'namespace', 'default', '-o', 'name'],
        env,
      );
      expect(second.stdout.trim()).toBe('namespace/default');
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });
});
