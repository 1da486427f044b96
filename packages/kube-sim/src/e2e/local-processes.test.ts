import http from 'node:http';
import { startKubeSimInstance, KubeSimInstance } from '../sim';
import { eventually, TEST_INTERNALS } from '../__testUtils__/kubectl';
import { LOCAL_IMAGES } from '../__testUtils__/localImages';

// Real child processes (meshperf through the TypeScript transform) on a shared machine.
jest.setTimeout(180_000);

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** GET over a fresh connection (so each request is a new proxied connection). */
function get(port: number, path = '/'): Promise<{ status: number; body: any }> {
  return new Promise((done, fail) => {
    http
      .get({ host: '127.0.0.1', port, path, agent: false }, res => {
        let text = '';
        res.on('data', c => (text += c));
        res.on('end', () =>
          done({ status: res.statusCode ?? 0, body: JSON.parse(text) }),
        );
      })
      .on('error', fail);
  });
}

const echoDeployment = (name: string, args?: string[]) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: 'bench' },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name } },
      spec: {
        terminationGracePeriodSeconds: 2,
        containers: [
          {
            name: 'echo',
            image: 'meshstage/echo:0.1.0',
            ...(args ? { args } : {}),
            ports: [{ name: 'http', containerPort: 8080 }],
          },
        ],
      },
    },
  },
});

const loadgenJob = (name: string, args: string[], backoffLimit = 0) => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name, namespace: 'bench' },
  spec: {
    parallelism: 2,
    completions: 2,
    backoffLimit,
    template: {
      spec: {
        restartPolicy: 'Never',
        containers: [
          { name: 'loadgen', image: 'meshstage/loadgen:0.1.0', args },
        ],
      },
    },
  },
});

describe('pods of local images run as local processes', () => {
  let sim: KubeSimInstance;
  let closed = false;
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${sim.url}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${sim.token}`,
        'Content-Type': 'application/json',
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let json: any = undefined;
    try {
      json = JSON.parse(text);
    } catch {
      // logs are text
    }
    return { status: res.status, text, json };
  };
  const podsOf = async (selector: string) =>
    (
      await call(
        'GET',
        `/api/v1/namespaces/bench/pods?labelSelector=${encodeURIComponent(
          selector,
        )}`,
      )
    ).json.items as any[];
  const readyPods = async (selector: string, n: number): Promise<any[]> =>
    eventually(async () => {
      const pods = await podsOf(selector);
      const ready = pods.filter(p =>
        p.status?.conditions?.some(
          (c: any) => c.type === 'Ready' && c.status === 'True',
        ),
      );
      return ready.length === n && pods.length === n ? ready : undefined;
    }, 60_000) as Promise<any[]>;

  beforeAll(async () => {
    sim = await startKubeSimInstance(
      { localImages: LOCAL_IMAGES },
      { ...TEST_INTERNALS, restartBackoffMs: 200, shutdownGraceMs: 3000 },
    );
    await call('POST', '/api/v1/namespaces', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'bench' },
    });
  });
  afterAll(async () => {
    if (!closed) await sim.close();
  });

  it('runs a loadgen Job against an echo Deployment behind a Service; logs hold each result', async () => {
    expect(
      (
        await call(
          'POST',
          '/apis/apps/v1/namespaces/bench/deployments',
          echoDeployment('echo'),
        )
      ).status,
    ).toBe(201);
    await call('POST', '/api/v1/namespaces/bench/services', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'echo', namespace: 'bench' },
      spec: {
        selector: { app: 'echo' },
        ports: [{ name: 'http', port: 8080, targetPort: 'http' }],
      },
    });
    const echoPods = await readyPods('app=echo', 2);
    for (const p of echoPods) {
      const cs = p.status.containerStatuses[0];
      expect(cs.ready).toBe(true);
      expect(cs.state.running.startedAt).toBeTruthy();
      expect(p.status.podIP).toMatch(/^10\.244\./);
    }

    // The Service is reachable from this process on its published loopback port,
    // and connections are spread over both pods.
    const loopback = await eventually(async () => {
      const svc = (await call('GET', '/api/v1/namespaces/bench/services/echo'))
        .json;
      return svc.metadata.annotations?.[
        'kube-sim.meshstage.io/loopback-8080'
      ] as string;
    });
    const port = Number(loopback.split(':')[1]);
    const names = new Set<string>();
    for (let i = 0; i < 4; i++) {
      const r = await get(port, '/hello');
      expect(r.status).toBe(200);
      expect(r.body.path).toBe('/hello');
      names.add(r.body.name);
    }
    expect(names).toEqual(new Set(echoPods.map(p => p.metadata.name)));

    expect(
      (
        await call(
          'POST',
          '/apis/batch/v1/namespaces/bench/jobs',
          loadgenJob('bench-run', [
            'http://echo.bench.svc.cluster.local:8080/',
            '-c',
            '2',
            '-d',
            '1s',
            '--output',
            'json',
          ]),
        )
      ).status,
    ).toBe(201);
    const job = await eventually(async () => {
      const j = (
        await call('GET', '/apis/batch/v1/namespaces/bench/jobs/bench-run')
      ).json;
      return j.status?.conditions?.some(
        (c: any) => c.type === 'Complete' && c.status === 'True',
      )
        ? j
        : undefined;
    }, 90_000);
    expect(job.status.succeeded).toBe(2);
    expect(job.status.failed).toBeUndefined();

    const pods = await podsOf('batch.kubernetes.io/job-name=bench-run');
    expect(pods).toHaveLength(2);
    for (const p of pods) {
      expect(p.status.phase).toBe('Succeeded');
      const term = p.status.containerStatuses[0].state.terminated;
      expect(term).toMatchObject({ exitCode: 0, reason: 'Completed' });
      expect(Date.parse(term.finishedAt)).toBeGreaterThanOrEqual(
        Date.parse(term.startedAt),
      );
      const log = await call(
        'GET',
        `/api/v1/namespaces/bench/pods/${p.metadata.name}/log`,
      );
      expect(log.status).toBe(200);
      const result = JSON.parse(log.text.trim());
      expect(result.kind).toBe('meshperf-result');
      expect(result.requests.total).toBeGreaterThan(0);
      expect(result.errors.total).toBe(0);
      expect(Object.keys(result.statusCodes)).toEqual(['200']);
      expect(result.config.targets[0].url).toBe(
        'http://echo.bench.svc.cluster.local:8080/',
      );
    }
  });

  it('deleting the Deployment kills the echo processes', async () => {
    const pids = sim.localPids();
    // the two echo servers; the loadgen processes have exited
    expect(pids).toHaveLength(2);
    expect(pids.every(alive)).toBe(true);
    const del = await call(
      'DELETE',
      '/apis/apps/v1/namespaces/bench/deployments/echo',
      {
        propagationPolicy: 'Background',
      },
    );
    expect(del.status).toBe(200);
    await eventually(() => pids.every(p => !alive(p)), 30_000);
    expect(sim.localPids()).toEqual([]);
    // no local endpoints left: the Service loses its loopback port
    await eventually(async () => {
      const svc = (await call('GET', '/api/v1/namespaces/bench/services/echo'))
        .json;
      return !svc.metadata.annotations?.['kube-sim.meshstage.io/loopback-8080'];
    });
  });

  it('a failing command gives Failed pods and counts them on the Job', async () => {
    await call(
      'POST',
      '/apis/batch/v1/namespaces/bench/jobs',
      loadgenJob('bad-run', ['--bogus'], 1),
    );
    const job = await eventually(async () => {
      const j = (
        await call('GET', '/apis/batch/v1/namespaces/bench/jobs/bad-run')
      ).json;
      return j.status?.conditions?.some(
        (c: any) => c.type === 'Failed' && c.status === 'True',
      )
        ? j
        : undefined;
    }, 90_000);
    expect(job.status.failed).toBe(2);
    expect(job.status.succeeded).toBeUndefined();
    const pods = await podsOf('batch.kubernetes.io/job-name=bad-run');
    expect(pods.length).toBeGreaterThanOrEqual(2);
    const failed = pods.filter(p => p.status.phase === 'Failed');
    expect(failed.length).toBe(2);
    for (const p of failed) {
      expect(p.status.containerStatuses[0].state.terminated).toMatchObject({
        exitCode: 2,
        reason: 'Error',
      });
      const log = await call(
        'GET',
        `/api/v1/namespaces/bench/pods/${p.metadata.name}/log`,
      );
      expect(log.text).toMatch(/meshperf: Unknown option '--bogus'/);
    }
  });

  it('restartPolicy Always restarts a crashing process, counting restarts; --previous has the last log', async () => {
    await call(
      'POST',
      '/apis/apps/v1/namespaces/bench/deployments',
      echoDeployment('crash', ['server', '--port', 'nope']),
    );
    const pod = await eventually(async () => {
      const [p] = await podsOf('app=crash');
      return p?.status?.containerStatuses?.[0]?.restartCount >= 2
        ? p
        : undefined;
    }, 60_000);
    const cs = pod.status.containerStatuses[0];
    expect(cs.lastState.terminated).toMatchObject({
      exitCode: 2,
      reason: 'Error',
    });
    expect(
      pod.status.conditions.find((c: any) => c.type === 'Ready').status,
    ).toBe('False');
    const prev = await call(
      'GET',
      `/api/v1/namespaces/bench/pods/${pod.metadata.name}/log?previous=true`,
    );
    expect(prev.status).toBe(200);
    expect(prev.text).toMatch(/invalid port "nope"/);
    await call('DELETE', '/apis/apps/v1/namespaces/bench/deployments/crash');
  });

  it("runs a pod command as written with the pod's env; a followed log ends when the process exits", async () => {
    await call('POST', '/api/v1/namespaces/bench/pods', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'shell', namespace: 'bench' },
      spec: {
        restartPolicy: 'Never',
        containers: [
          {
            name: 'sh',
            image: 'meshstage/loadgen',
            command: ['sh', '-c'],
            args: [
              'echo "$GREETING from $HOSTNAME in $(NS)"; sleep 1; echo done; exit 3',
            ],
            env: [
              { name: 'GREETING', value: 'hello' },
              {
                name: 'NS',
                valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } },
              },
            ],
          },
        ],
      },
    });
    await eventually(async () => {
      const p = (await call('GET', '/api/v1/namespaces/bench/pods/shell')).json;
      return p.status?.containerStatuses?.[0]?.state?.running;
    });
    const followed = await call(
      'GET',
      '/api/v1/namespaces/bench/pods/shell/log?follow=true',
    );
    expect(followed.text).toBe('hello from shell in bench\ndone\n');
    const pod = await eventually(async () => {
      const p = (await call('GET', '/api/v1/namespaces/bench/pods/shell')).json;
      return p.status.phase === 'Failed' ? p : undefined;
    });
    expect(pod.status.containerStatuses[0].state.terminated).toMatchObject({
      exitCode: 3,
      reason: 'Error',
    });
  });

  it('a process that ignores SIGTERM is killed after the grace period', async () => {
    const before = new Set(sim.localPids());
    await call('POST', '/api/v1/namespaces/bench/pods', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'stubborn', namespace: 'bench' },
      spec: {
        terminationGracePeriodSeconds: 1,
        containers: [
          {
            name: 'sh',
            image: 'meshstage/loadgen',
            command: ['sh', '-c', 'trap "" TERM; echo up; sleep 3600'],
          },
        ],
      },
    });
    await eventually(async () => {
      const log = await call(
        'GET',
        '/api/v1/namespaces/bench/pods/stubborn/log',
      );
      return log.text === 'up\n';
    });
    const [pid] = sim.localPids().filter(p => !before.has(p));
    expect(alive(pid)).toBe(true);
    const t0 = Date.now();
    await call('DELETE', '/api/v1/namespaces/bench/pods/stubborn');
    await eventually(() => !alive(pid));
    // SIGTERM did not end it: it lived until the SIGKILL one grace period (1 s) after the delete.
    // A lower bound only: no sleep guesses when to look, a slow machine just sees it later.
    expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
  });

  it('closing kube-sim leaves no child process', async () => {
    await call(
      'POST',
      '/apis/apps/v1/namespaces/bench/deployments',
      echoDeployment('last'),
    );
    await readyPods('app=last', 2);
    const pids = sim.localPids();
    expect(pids.length).toBeGreaterThanOrEqual(2);
    expect(pids.every(alive)).toBe(true);
    closed = true;
    await sim.close();
    expect(pids.filter(alive)).toEqual([]);
    expect(sim.localPids()).toEqual([]);
  });
});
