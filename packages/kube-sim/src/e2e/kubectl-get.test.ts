import {
  eventually,
  kubectlFixture,
  KubectlFixture,
  tableRows,
} from '../__testUtils__/kubectl';

jest.setTimeout(180_000);

const DEPLOY = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web, tier: front}
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: nginx:1.25
        ports: [{containerPort: 80}]
---
apiVersion: v1
kind: Service
metadata: {name: web, labels: {app: web}}
spec:
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: 80}]
---
apiVersion: v1
kind: ConfigMap
metadata: {name: settings, labels: {tier: back}}
data: {a: "1", b: "2"}
`;

describe('kubectl get', () => {
  let f: KubectlFixture;

  beforeAll(async () => {
    f = await kubectlFixture();
    await f.ok(['apply', '-f', f.file('web.yaml', DEPLOY)]);
    await f.ok(['rollout', 'status', 'deploy/web', '--timeout=120s']);
  });
  afterAll(() => f.close());

  it('prints the real columns for pods, deployments, services and configmaps', async () => {
    const pods = tableRows(await f.ok(['get', 'pods']));
    expect(pods[0]).toEqual(['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
    expect(pods).toHaveLength(3);
    for (const row of pods.slice(1)) {
      expect(row[0]).toMatch(/^web-[a-z0-9]+-[a-z0-9]{5}$/);
      expect(row.slice(1, 4)).toEqual(['1/1', 'Running', '0']);
      expect(row[4]).toMatch(/^(\d+[smhd])+$/); // an age: 5s, or 2m3s on a slow run
    }
    const wide = tableRows(await f.ok(['get', 'pods', '-o', 'wide']));
    expect(wide[0]).toEqual([
      'NAME',
      'READY',
      'STATUS',
      'RESTARTS',
      'AGE',
      'IP',
      'NODE',
      'NOMINATED NODE',
      'READINESS GATES',
    ]);
    expect(wide[1][5]).toMatch(/^10\.244\.\d+\.\d+$/);
    expect(wide[1].slice(6)).toEqual(['kube-sim', '<none>', '<none>']);

    const deploy = tableRows(await f.ok(['get', 'deploy', '-o', 'wide']));
    expect(deploy[0]).toEqual([
      'NAME',
      'READY',
      'UP-TO-DATE',
      'AVAILABLE',
      'AGE',
      'CONTAINERS',
      'IMAGES',
      'SELECTOR',
    ]);
    expect(deploy[1]).toEqual([
      'web',
      '2/2',
      '2',
      '2',
      expect.stringMatching(/s$/),
      'web',
      'nginx:1.25',
      'app=web',
    ]);

    const svc = tableRows(await f.ok(['get', 'svc', 'web', '-o', 'wide']));
    expect(svc[0]).toEqual([
      'NAME',
      'TYPE',
      'CLUSTER-IP',
      'EXTERNAL-IP',
      'PORT(S)',
      'AGE',
      'SELECTOR',
    ]);
    expect(svc[1][1]).toBe('ClusterIP');
    expect(svc[1][2]).toMatch(/^10\.96\.\d+\.\d+$/);
    expect(svc[1].slice(3, 5)).toEqual(['<none>', '80/TCP']);
    expect(svc[1][6]).toBe('app=web');

    const cm = tableRows(await f.ok(['get', 'cm', 'settings']));
    expect(cm).toEqual([
      ['NAME', 'DATA', 'AGE'],
      ['settings', '2', expect.any(String)],
    ]);

    const ns = tableRows(await f.ok(['get', 'ns']));
    expect(ns[0]).toEqual(['NAME', 'STATUS', 'AGE']);
    expect(ns.map(r => r[0])).toEqual(
      expect.arrayContaining([
        'default',
        'kube-system',
        'kube-public',
        'kube-node-lease',
      ]),
    );

    const nodes = tableRows(await f.ok(['get', 'nodes']));
    expect(nodes[1].slice(0, 3)).toEqual([
      'kube-sim',
      'Ready',
      'control-plane',
    ]);
  });

  it('shows -o yaml and -o json, with list kind List', async () => {
    const yaml = await f.ok(['get', 'deploy', 'web', '-o', 'yaml']);
    expect(yaml).toContain('kind: Deployment');
    expect(yaml).toContain('deployment.kubernetes.io/revision: "1"');
    expect(yaml).toMatch(/generation: 1/);
    const list = JSON.parse(await f.ok(['get', 'pods', '-o', 'json']));
    expect(list.kind).toBe('List');
    expect(list.items).toHaveLength(2);
    expect(list.items[0].status.phase).toBe('Running');
    expect(list.items[0].metadata.ownerReferences[0]).toMatchObject({
      kind: 'ReplicaSet',
      controller: true,
    });
  });

  it('filters with label and field selectors', async () => {
    const byLabel = await f.ok([
      'get',
      'deploy,cm',
      '-l',
      'tier in (front,middle)',
      '-o',
      'name',
    ]);
    expect(byLabel.trim()).toBe('deployment.apps/web');
    const notBack = await f.ok([
      'get',
      'cm',
      '-l',
      'tier!=back,!missing',
      '-o',
      'name',
    ]);
    expect(notBack).not.toContain('settings');
    const exists = await f.ok(['get', 'cm', '-l', 'tier', '-o', 'name']);
    expect(exists.trim()).toBe('configmap/settings');
    const pods = JSON.parse(await f.ok(['get', 'pods', '-o', 'json']));
    const name = pods.items[0].metadata.name;
    const one = await f.ok([
      'get',
      'pods',
      '--field-selector',
      `metadata.name=${name},status.phase=Running`,
      '-o',
      'name',
    ]);
    expect(one.trim()).toBe(`pod/${name}`);
    const none = await f.kubectl([
      'get',
      'pods',
      '--field-selector',
      'status.phase=Pending',
    ]);
    expect(none.stderr).toContain('No resources found in default namespace.');
    const bad = await f.kubectl([
      'get',
      'pods',
      '--field-selector',
      'spec.foo=bar',
    ]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('field label not supported: spec.foo');
  });

  it('lists across namespaces and `get all` uses categories', async () => {
    await f.ok(['create', 'ns', 'other']);
    await f.ok(['-n', 'other', 'create', 'deploy', 'api', '--image=nginx']);
    await f.ok([
      '-n',
      'other',
      'rollout',
      'status',
      'deploy/api',
      '--timeout=120s',
    ]);
    const all = tableRows(await f.ok(['get', 'pods', '-A']));
    expect(all[0]).toEqual([
      'NAMESPACE',
      'NAME',
      'READY',
      'STATUS',
      'RESTARTS',
      'AGE',
    ]);
    expect(new Set(all.slice(1).map(r => r[0]))).toEqual(
      new Set(['default', 'other']),
    );
    const getAll = await f.ok(['get', 'all']);
    expect(getAll).toContain('pod/web-');
    expect(getAll).toContain('service/web');
    expect(getAll).toContain('service/kubernetes');
    expect(getAll).toContain('deployment.apps/web');
    expect(getAll).toMatch(/replicaset\.apps\/web-[a-z0-9]+/);
  });

  it('follows limit/continue chunks', async () => {
    for (let i = 0; i < 7; i++) await f.ok(['create', 'cm', `chunk-${i}`]);
    const out = await f.ok(['get', 'cm', '--chunk-size=3', '-o', 'name']);
    expect(
      out.split('\n').filter(l => l.startsWith('configmap/chunk-')),
    ).toHaveLength(7);
  });

  it('watches with -w: existing rows once, then changes made by another command', async () => {
    const watch = f.stream(['get', 'cm', '-w']);
    const lines = () => watch.stdout.split('\n');
    try {
      await eventually(() => watch.stdout.includes('settings'));
      await f.ok(['create', 'cm', 'watched', '--from-literal=x=1']);
      await eventually(() => watch.stdout.includes('watched'));
      await f.ok(['delete', 'cm', 'watched']);
      await eventually(
        () => lines().filter(l => l.startsWith('watched')).length >= 2,
      );
      expect(lines().filter(l => l.startsWith('settings'))).toHaveLength(1);
    } finally {
      await watch.stop();
    }
    // With a request timeout the watch ends by itself (the backstop kill would leave no exit
    // code). 5 s, not 1 s: the initial list must be answered within it on a busy machine too.
    const r = await f.kubectl(['get', 'cm', '-w', '--request-timeout=5s']);
    expect(r.code).not.toBeNull();
    expect(r.stdout).toContain('settings');
  });

  it('lists api-resources with short names and scope', async () => {
    const rows = tableRows(await f.ok(['api-resources']));
    expect(rows[0]).toEqual([
      'NAME',
      'SHORTNAMES',
      'APIVERSION',
      'NAMESPACED',
      'KIND',
    ]);
    const find = (n: string) => rows.find(r => r[0] === n);
    expect(find('pods')).toEqual(['pods', 'po', 'v1', 'true', 'Pod']);
    expect(find('deployments')).toEqual([
      'deployments',
      'deploy',
      'apps/v1',
      'true',
      'Deployment',
    ]);
    expect(find('namespaces')).toEqual([
      'namespaces',
      'ns',
      'v1',
      'false',
      'Namespace',
    ]);
    expect(find('customresourcedefinitions')).toEqual([
      'customresourcedefinitions',
      'crd,crds',
      'apiextensions.k8s.io/v1',
      'false',
      'CustomResourceDefinition',
    ]);
    expect(find('leases')).toBeDefined();
    expect(find('horizontalpodautoscalers')?.[2]).toBe('autoscaling/v2');
  });

  it('explains fields from the OpenAPI v3 schemas', async () => {
    const out = await f.ok(['explain', 'deployment.spec.replicas']);
    expect(out).toContain('KIND:       Deployment');
    expect(out).toContain('FIELD: replicas <integer>');
    expect(out).toContain('Number of desired pods');
    const containers = await f.ok(['explain', 'pods.spec.containers']);
    expect(containers).toContain('image\t<string>');
  });

  it('answers kubectl top, auth can-i and auth whoami', async () => {
    const top = tableRows(await f.ok(['top', 'pods', '-l', 'app=web']));
    expect(top[0]).toEqual(['NAME', 'CPU(cores)', 'MEMORY(bytes)']);
    expect(top).toHaveLength(3);
    expect(top[1][1]).toMatch(/^\d+m$/);
    expect(
      (await f.ok(['auth', 'can-i', 'delete', 'deployments'])).trim(),
    ).toBe('yes');
    expect(await f.ok(['auth', 'whoami'])).toContain('kube-sim-admin');
    const slices = tableRows(
      await f.ok([
        'get',
        'endpointslices',
        '-l',
        'kubernetes.io/service-name=web',
      ]),
    );
    expect(slices[0]).toEqual([
      'NAME',
      'ADDRESSTYPE',
      'PORTS',
      'ENDPOINTS',
      'AGE',
    ]);
    expect(slices[1][2]).toBe('80');
  });

  it('prints API errors as kubectl prints them', async () => {
    const nf = await f.kubectl(['get', 'deploy', 'nope']);
    expect(nf.code).toBe(1);
    expect(nf.stderr.trim()).toBe(
      'Error from server (NotFound): deployments.apps "nope" not found',
    );
    const nf2 = await f.kubectl(['get', 'cm', 'nope']);
    expect(nf2.stderr.trim()).toBe(
      'Error from server (NotFound): configmaps "nope" not found',
    );
    const unknown = await f.kubectl(['get', 'foos']);
    expect(unknown.stderr).toContain(
      'the server doesn\'t have a resource type "foos"',
    );
  });
});
