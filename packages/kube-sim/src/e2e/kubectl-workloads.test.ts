import {
  eventually,
  kubectlFixture,
  KubectlFixture,
  tableRows,
} from '../__testUtils__/kubectl';

jest.setTimeout(180_000);

describe('kubectl with workloads and controllers', () => {
  let f: KubectlFixture;
  beforeAll(async () => {
    f = await kubectlFixture();
    await f.ok([
      'create',
      'deploy',
      'web',
      '--image=nginx:1.25',
      '--replicas=2',
      '--port=80',
    ]);
    await f.ok(['expose', 'deploy', 'web', '--port=80']);
    await f.ok(['rollout', 'status', 'deploy/web', '--timeout=120s']);
  });
  afterAll(() => f.close());

  const rsNames = async () =>
    (await f.ok(['get', 'rs', '-l', 'app=web', '-o', 'name']))
      .trim()
      .split('\n')
      .filter(Boolean)
      .sort();

  it('scales and waits for the rollout', async () => {
    expect(
      (await f.ok(['scale', 'deploy', 'web', '--replicas=4'])).trim(),
    ).toBe('deployment.apps/web scaled');
    expect(
      await f.ok(['rollout', 'status', 'deploy/web', '--timeout=120s']),
    ).toContain('deployment "web" successfully rolled out');
    expect(
      tableRows(await f.ok(['get', 'deploy', 'web']))[1].slice(1, 4),
    ).toEqual(['4/4', '4', '4']);
    const scale = JSON.parse(
      await f.ok([
        'get',
        '--raw',
        '/apis/apps/v1/namespaces/default/deployments/web/scale',
      ]),
    );
    expect(scale).toMatchObject({
      kind: 'Scale',
      apiVersion: 'autoscaling/v1',
      spec: { replicas: 4 },
      status: { replicas: 4, selector: 'app=web' },
    });
    await f.ok(['scale', 'deploy', 'web', '--replicas=2']);
    await f.ok(['rollout', 'status', 'deploy/web', '--timeout=120s']);
    await eventually(
      async () =>
        tableRows(await f.ok(['get', 'pods', '-l', 'app=web'])).length === 3,
    );
  });

  it('rolls out set image and restart with new ReplicaSets, and undoes to an older one', async () => {
    const before = await rsNames();
    expect(
      (await f.ok(['set', 'image', 'deploy/web', 'nginx=nginx:1.26'])).trim(),
    ).toBe('deployment.apps/web image updated');
    expect(
      await f.ok(['rollout', 'status', 'deploy/web', '--timeout=120s']),
    ).toContain('successfully rolled out');
    const afterSet = await rsNames();
    expect(afterSet.length).toBe(before.length + 1);
    expect((await f.ok(['rollout', 'restart', 'deploy/web'])).trim()).toBe(
      'deployment.apps/web restarted',
    );
    expect(
      await f.ok(['rollout', 'status', 'deploy/web', '--timeout=120s']),
    ).toContain('successfully rolled out');
    const d = JSON.parse(await f.ok(['get', 'deploy', 'web', '-o', 'json']));
    expect(
      d.spec.template.metadata.annotations['kubectl.kubernetes.io/restartedAt'],
    ).toBeDefined();
    expect(d.metadata.annotations['deployment.kubernetes.io/revision']).toBe(
      '3',
    );
    expect(d.status).toMatchObject({
      replicas: 2,
      updatedReplicas: 2,
      readyReplicas: 2,
      availableReplicas: 2,
      observedGeneration: d.metadata.generation,
    });
    expect(
      d.status.conditions.find(
        (c: { type: string }) => c.type === 'Progressing',
      ).reason,
    ).toBe('NewReplicaSetAvailable');
    const pods = JSON.parse(
      await f.ok(['get', 'pods', '-l', 'app=web', '-o', 'json']),
    ).items;
    expect(pods).toHaveLength(2);
    for (const p of pods) expect(p.spec.containers[0].image).toBe('nginx:1.26');

    const history = await f.ok(['rollout', 'history', 'deploy/web']);
    expect(history).toMatch(/REVISION/);
    expect(
      (await f.ok(['rollout', 'undo', 'deploy/web', '--to-revision=1'])).trim(),
    ).toBe('deployment.apps/web rolled back');
    await f.ok(['rollout', 'status', 'deploy/web', '--timeout=120s']);
    const undone = JSON.parse(
      await f.ok(['get', 'deploy', 'web', '-o', 'json']),
    );
    expect(undone.spec.template.spec.containers[0].image).toBe('nginx:1.25');
    expect(
      undone.metadata.annotations['deployment.kubernetes.io/revision'],
    ).toBe('4');
    expect((await rsNames()).length).toBe(afterSet.length + 1);
  });

  it('describes a deployment and a pod with their events', async () => {
    const d = await f.ok(['describe', 'deployment', 'web']);
    expect(d).toMatch(
      /Replicas:\s+2 desired \| 2 updated \| 2 total \| 2 available \| 0 unavailable/,
    );
    expect(d).toMatch(
      /NewReplicaSet:\s+web-[a-z0-9]+ \(2\/2 replicas created\)/,
    );
    expect(d).toMatch(
      /Normal\s+ScalingReplicaSet\s+\S+\s+deployment-controller\s+Scaled up replica set web-/,
    );
    const pod = (await f.ok(['get', 'pods', '-l', 'app=web', '-o', 'name']))
      .trim()
      .split('\n')[0];
    const p = await f.ok(['describe', pod]);
    expect(p).toMatch(/Status:\s+Running/);
    expect(p).toMatch(/Node:\s+kube-sim\/172\.18\.0\.2/);
    for (const reason of ['Scheduled', 'Pulled', 'Created', 'Started'])
      expect(p).toMatch(new RegExp(`Normal\\s+${reason}\\s`));
    const rs = await f.ok(['describe', 'rs', '-l', 'app=web']);
    expect(rs).toMatch(
      /SuccessfulCreate\s+\S+\s+replicaset-controller\s+Created pod: web-/,
    );
  });

  it('keeps Endpoints of the service in step with ready pods', async () => {
    const ep = tableRows(await f.ok(['get', 'endpoints', 'web']));
    expect(ep[0]).toEqual(['NAME', 'ENDPOINTS', 'AGE']);
    expect(ep[1][1]).toMatch(/^10\.244\.\d+\.\d+:80,10\.244\.\d+\.\d+:80$/);
  });

  it('serves logs, with --tail and -f', async () => {
    const pod = (await f.ok(['get', 'pods', '-l', 'app=web', '-o', 'name']))
      .trim()
      .split('\n')[0];
    const logs = await f.ok(['logs', pod]);
    expect(logs).toContain('container nginx started');
    expect(
      (await f.ok(['logs', pod, '--tail=1'])).trim().split('\n'),
    ).toHaveLength(1);
    const follow = f.stream(['logs', '-f', pod]);
    try {
      await eventually(() => follow.stdout.includes('container nginx started'));
      // following: the stream stays open after the lines so far
      expect(follow.exited).toBe(false);
    } finally {
      await follow.stop();
    }
    const bad = await f.kubectl(['logs', pod, '-c', 'nope']);
    expect(bad.stderr).toContain('container nope is not valid for pod');
  });

  it('waits for conditions', async () => {
    await f.ok([
      'run',
      'solo',
      '--image=busybox',
      '--restart=Never',
      '--',
      'sleep',
      '3600',
    ]);
    expect(
      (
        await f.ok([
          'wait',
          '--for=condition=Ready',
          'pod/solo',
          '--timeout=120s',
        ])
      ).trim(),
    ).toBe('pod/solo condition met');
    const pod = JSON.parse(await f.ok(['get', 'pod', 'solo', '-o', 'json']));
    expect(pod.status.containerStatuses[0]).toMatchObject({
      name: 'solo',
      ready: true,
      started: true,
      restartCount: 0,
    });
    expect(
      pod.status.containerStatuses[0].state.running.startedAt,
    ).toBeDefined();
    expect(pod.status.conditions.map((c: { type: string }) => c.type)).toEqual(
      expect.arrayContaining([
        'PodScheduled',
        'Initialized',
        'ContainersReady',
        'Ready',
      ]),
    );
    const timeout = await f.kubectl([
      'wait',
      '--for=condition=Nope',
      'pod/solo',
      '--timeout=1s',
    ]);
    expect(timeout.stderr).toContain(
      'timed out waiting for the condition on pods/solo',
    );
  });

  it('runs jobs to completion', async () => {
    await f.ok([
      'create',
      'job',
      'once',
      '--image=busybox',
      '--',
      'echo',
      'hi',
    ]);
    expect(
      (
        await f.ok([
          'wait',
          '--for=condition=complete',
          'job/once',
          '--timeout=120s',
        ])
      ).trim(),
    ).toBe('job.batch/once condition met');
    const rows = tableRows(await f.ok(['get', 'job', 'once']));
    expect(rows[0]).toEqual([
      'NAME',
      'STATUS',
      'COMPLETIONS',
      'DURATION',
      'AGE',
    ]);
    expect(rows[1].slice(1, 3)).toEqual(['Complete', '1/1']);
    const pods = tableRows(await f.ok(['get', 'pods', '-l', 'job-name=once']));
    expect(pods[1].slice(1, 3)).toEqual(['0/1', 'Completed']);
  });

  it('runs statefulsets in order and daemonsets on the node', async () => {
    await f.ok(['apply', '-f', '-'], {
      input: `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  serviceName: db
  replicas: 3
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec: {containers: [{name: db, image: postgres:16}]}
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec: {containers: [{name: agent, image: fluentd:1}]}
`,
    });
    await f.ok(['rollout', 'status', 'sts/db', '--timeout=120s']);
    await f.ok(['rollout', 'status', 'ds/agent', '--timeout=120s']);
    const names = (await f.ok(['get', 'pods', '-l', 'app=db', '-o', 'name']))
      .trim()
      .split('\n');
    expect(names).toEqual(['pod/db-0', 'pod/db-1', 'pod/db-2']);
    expect(tableRows(await f.ok(['get', 'sts', 'db']))[1].slice(0, 2)).toEqual([
      'db',
      '3/3',
    ]);
    expect(
      tableRows(await f.ok(['get', 'ds', 'agent']))[1].slice(1, 6),
    ).toEqual(['1', '1', '1', '1', '1']);
  });

  it('deletes a deployment with its ReplicaSets and pods', async () => {
    expect((await f.ok(['delete', 'deployment', 'web'])).trim()).toBe(
      'deployment.apps "web" deleted',
    );
    await eventually(
      async () =>
        (
          await f.ok(['get', 'rs,pods', '-l', 'app=web', '-o', 'name'])
        ).trim() === '',
    );
    await f.ok(['create', 'deploy', 'fg', '--image=nginx']);
    await f.ok(['rollout', 'status', 'deploy/fg', '--timeout=120s']);
    await f.ok(['delete', 'deploy', 'fg', '--cascade=foreground']);
    expect(
      (await f.ok(['get', 'rs,pods', '-l', 'app=fg', '-o', 'name'])).trim(),
    ).toBe('');
    await f.ok(['create', 'deploy', 'orphan', '--image=nginx']);
    await f.ok(['rollout', 'status', 'deploy/orphan', '--timeout=120s']);
    await f.ok(['delete', 'deploy', 'orphan', '--cascade=orphan']);
    const rs = JSON.parse(
      await f.ok(['get', 'rs', '-l', 'app=orphan', '-o', 'json']),
    ).items;
    expect(rs).toHaveLength(1);
    expect(rs[0].metadata.ownerReferences).toBeUndefined();
  });

  it('deletes a namespace and everything in it', async () => {
    await f.ok(['create', 'ns', 'doomed']);
    await f.ok(['-n', 'doomed', 'create', 'deploy', 'x', '--image=nginx']);
    await f.ok(['-n', 'doomed', 'create', 'cm', 'y']);
    await f.ok([
      '-n',
      'doomed',
      'rollout',
      'status',
      'deploy/x',
      '--timeout=120s',
    ]);
    expect((await f.ok(['delete', 'namespace', 'doomed'])).trim()).toBe(
      'namespace "doomed" deleted',
    );
    const r = await f.kubectl(['get', 'ns', 'doomed']);
    expect(r.stderr.trim()).toBe(
      'Error from server (NotFound): namespaces "doomed" not found',
    );
    expect(
      (await f.ok(['get', 'all', '-n', 'doomed', '-o', 'name'])).trim(),
    ).toBe('');
  });
});
