import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { eventually, run } from '../__testUtils__/kubectl';
import { MESHPERF } from '../__testUtils__/localImages';

jest.setTimeout(180_000);

const BIN = resolve(__dirname, '../../bin/kube-sim');

/** Pids of a process's children (Linux /proc). */
function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      // pid (comm) state ppid ...: comm may hold spaces, so split after the last ')'
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(Number(d));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const ECHO = `
apiVersion: apps/v1
kind: Deployment
metadata: { name: echo, namespace: default }
spec:
  replicas: 2
  selector: { matchLabels: { app: echo } }
  template:
    metadata: { labels: { app: echo } }
    spec:
      containers:
        - name: echo
          image: meshstage/echo:latest
          ports: [{ containerPort: 8080 }]
`;

describe('kube-sim --local-image', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'kube-sim-local-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('runs pods of the image as processes and stops them all on SIGTERM', async () => {
    const kubeconfig = join(dir, 'kc');
    const image = JSON.stringify({
      command: [process.execPath, MESHPERF],
      args: ['server'],
    });
    const child = spawn(
      process.execPath,
      [
        BIN,
        '--port',
        '0',
        '--kubeconfig',
        kubeconfig,
        '--local-image',
        `meshstage/echo=${image}`,
      ],
      { env: { PATH: process.env.PATH } },
    );
    let stdout = '';
    child.stdout.on('data', d => (stdout += d));
    const exited = new Promise<number | null>(r =>
      child.on('exit', code => r(code)),
    );
    let pids: number[] = [];
    try {
      await eventually(() => stdout.includes('\n'), 60_000);
      const env = { PATH: process.env.PATH, HOME: dir, KUBECONFIG: kubeconfig };
      const kubectl = (args: string[], input?: string) =>
        run('/usr/bin/kubectl', args, env, { input });
      expect((await kubectl(['apply', '-f', '-'], ECHO)).code).toBe(0);
      await eventually(async () => {
        const r = await kubectl([
          'get',
          'pods',
          '-l',
          'app=echo',
          '-o',
          'jsonpath={.items[*].status.containerStatuses[0].ready}',
        ]);
        return r.stdout.trim() === 'true true';
      }, 60_000);
      pids = childrenOf(child.pid!);
      expect(pids).toHaveLength(2);
      const logs = await kubectl(['logs', 'deploy/echo']);
      expect(logs.stdout).toMatch(
        /meshperf server listening on 127\.0\.0\.1:\d+/,
      );
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(pids.filter(alive)).toEqual([]);
  });
});
