import { kubectlFixture, KubectlFixture } from '../__testUtils__/kubectl';

jest.setTimeout(180_000);

const deployment = (
  replicas: number,
  image = 'nginx:1.25',
) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: ${replicas}
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: ${image}
        resources:
          requests: {cpu: 10m, memory: 32Mi}
`;

const configMap = (
  data: Record<string, string>,
  name = 'cfg',
) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${name}
data:
${Object.entries(data)
  .map(([k, v]) => `  ${k}: "${v}"`)
  .join('\n')}
`;

describe('kubectl apply, patch, replace, create', () => {
  let f: KubectlFixture;
  beforeAll(async () => {
    f = await kubectlFixture();
  });
  afterAll(() => f.close());

  it('applies client-side: created, unchanged, configured (strategic patch of a changed object)', async () => {
    const path = f.file('web.yaml', deployment(1));
    expect((await f.ok(['apply', '-f', path])).trim()).toBe(
      'deployment.apps/web created',
    );
    expect((await f.ok(['apply', '-f', path])).trim()).toBe(
      'deployment.apps/web unchanged',
    );
    f.file('web.yaml', deployment(3, 'nginx:1.26'));
    expect((await f.ok(['apply', '-f', path])).trim()).toBe(
      'deployment.apps/web configured',
    );
    const d = JSON.parse(
      await f.ok([
        'get',
        'deploy',
        'web',
        '-o',
        'json',
        '--show-managed-fields',
      ]),
    );
    expect(d.spec.replicas).toBe(3);
    expect(d.spec.template.spec.containers).toHaveLength(1);
    expect(d.spec.template.spec.containers[0].image).toBe('nginx:1.26');
    expect(d.metadata.generation).toBe(2);
    expect(
      d.metadata.annotations[
        'kubectl.kubernetes.io/last-applied-configuration'
      ],
    ).toContain('"replicas":3');
    expect(
      d.metadata.managedFields.map((m: { manager: string }) => m.manager),
    ).toContain('kubectl-client-side-apply');
  });

  it('rejects unknown fields (apply validates with fieldValidation=Strict)', async () => {
    const bad = deployment(1).replace(
      '  replicas: 1',
      '  replicas: 1\n  foo: bar',
    );
    const r = await f.kubectl(['apply', '-f', f.file('bad.yaml', bad)]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.foo"',
    );
  });

  it('server-side apply: conflicts with another manager, then --force-conflicts takes ownership', async () => {
    const path = f.file('cfg.yaml', configMap({ a: '1', b: '1' }));
    await f.ok(['apply', '-f', path]);
    f.file('cfg.yaml', configMap({ a: '2', b: '1' }));
    const conflict = await f.kubectl(['apply', '--server-side', '-f', path]);
    expect(conflict.code).toBe(1);
    expect(conflict.stderr).toContain(
      'error: Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using v1: .data.a',
    );
    expect(conflict.stderr).toContain('--force-conflicts');
    expect(
      (
        await f.ok(['apply', '--server-side', '--force-conflicts', '-f', path])
      ).trim(),
    ).toBe('configmap/cfg serverside-applied');
    const cm = JSON.parse(
      await f.ok(['get', 'cm', 'cfg', '-o', 'json', '--show-managed-fields']),
    );
    expect(cm.data).toEqual({ a: '2', b: '1' });
    const managers = cm.metadata.managedFields.map(
      (m: { manager: string; operation: string }) =>
        `${m.manager}/${m.operation}`,
    );
    expect(managers).toEqual(
      expect.arrayContaining([
        'kubectl/Apply',
        'kubectl-client-side-apply/Update',
        'kubectl-last-applied/Apply',
      ]),
    );
    const mine = cm.metadata.managedFields.find(
      (m: { manager: string }) => m.manager === 'kubectl',
    );
    expect(mine.fieldsV1).toEqual({ 'f:data': { 'f:a': {}, 'f:b': {} } });
    // a field dropped from this manager's config goes when nobody else owns it
    f.file('owned.yaml', configMap({ x: '1', y: '1' }, 'owned'));
    await f.ok([
      'apply',
      '--server-side',
      '-f',
      f.file('owned.yaml', configMap({ x: '1', y: '1' }, 'owned')),
    ]);
    await f.ok([
      'apply',
      '--server-side',
      '-f',
      f.file('owned.yaml', configMap({ x: '1' }, 'owned')),
    ]);
    expect(
      JSON.parse(await f.ok(['get', 'cm', 'owned', '-o', 'json'])).data,
    ).toEqual({ x: '1' });
  });

  it('server-side apply with another field manager conflicts on spec.replicas after kubectl scale', async () => {
    const path = f.file(
      'ssa.yaml',
      deployment(2).replace('name: web', 'name: ssa'),
    );
    expect(
      (
        await f.ok([
          'apply',
          '--server-side',
          '--field-manager=team-a',
          '-f',
          path,
        ])
      ).trim(),
    ).toBe('deployment.apps/ssa serverside-applied');
    await f.ok(['scale', 'deploy', 'ssa', '--replicas=4']);
    const r = await f.kubectl([
      'apply',
      '--server-side',
      '--field-manager=team-a',
      '-f',
      path,
    ]);
    expect(r.stderr).toContain(
      'Apply failed with 1 conflict: conflict with "kubectl" with subresource "scale" using apps/v1: .spec.replicas',
    );
    await f.ok([
      'apply',
      '--server-side',
      '--field-manager=team-a',
      '--force-conflicts',
      '-f',
      path,
    ]);
    expect(
      JSON.parse(await f.ok(['get', 'deploy', 'ssa', '-o', 'json'])).spec
        .replicas,
    ).toBe(2);
  });

  it('server-side apply that drops a container removes it whole (no husk with ports and no name)', async () => {
    const manifest = (sidecar: boolean) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: husk
spec:
  replicas: 1
  selector:
    matchLabels: {app: husk}
  template:
    metadata:
      labels: {app: husk}
    spec:
      containers:
      - name: web
        image: nginx:1.25
        ports:
        - {containerPort: 80, name: http}${
          sidecar
            ? `
      - name: metrics
        image: exporter:1
        ports:
        - {containerPort: 9090, name: metrics}
        - {containerPort: 9091, name: admin}`
            : ''
        }
`;
    const path = f.file('husk.yaml', manifest(true));
    await f.ok(['apply', '--server-side', '-f', path]);
    f.file('husk.yaml', manifest(false));
    expect((await f.ok(['apply', '--server-side', '-f', path])).trim()).toBe(
      'deployment.apps/husk serverside-applied',
    );
    const d = JSON.parse(
      await f.ok([
        'get',
        'deploy',
        'husk',
        '-o',
        'json',
        '--show-managed-fields',
      ]),
    );
    expect(
      d.spec.template.spec.containers.map((c: { name: string }) => c.name),
    ).toEqual(['web']);
    expect(JSON.stringify(d.metadata.managedFields)).not.toContain('metrics');
    await f.ok(['delete', 'deploy', 'husk']);
  });

  it('dry-run=server validates and answers without storing', async () => {
    const path = f.file('dry.yaml', configMap({ a: '1' }, 'dry'));
    expect((await f.ok(['apply', '--dry-run=server', '-f', path])).trim()).toBe(
      'configmap/dry created (server dry run)',
    );
    expect((await f.kubectl(['get', 'cm', 'dry'])).code).toBe(1);
    expect(
      (
        await f.ok(['apply', '--server-side', '--dry-run=server', '-f', path])
      ).trim(),
    ).toBe('configmap/dry serverside-applied (server dry run)');
    expect((await f.kubectl(['get', 'cm', 'dry'])).code).toBe(1);
    expect(
      (await f.ok(['delete', 'deploy', 'web', '--dry-run=server'])).trim(),
    ).toBe('deployment.apps "web" deleted (server dry run)');
    expect((await f.kubectl(['get', 'deploy', 'web'])).code).toBe(0);
  });

  it('patches with merge, json and strategic patches', async () => {
    await f.ok(['create', 'cm', 'p', '--from-literal=a=1']);
    await f.ok([
      'patch',
      'cm',
      'p',
      '--type',
      'merge',
      '-p',
      '{"data":{"b":"2","a":null}}',
    ]);
    await f.ok([
      'patch',
      'cm',
      'p',
      '--type',
      'json',
      '-p',
      '[{"op":"add","path":"/data/c","value":"3"},{"op":"test","path":"/data/b","value":"2"}]',
    ]);
    expect(
      JSON.parse(await f.ok(['get', 'cm', 'p', '-o', 'json'])).data,
    ).toEqual({ b: '2', c: '3' });
    const failed = await f.kubectl([
      'patch',
      'cm',
      'p',
      '--type',
      'json',
      '-p',
      '[{"op":"test","path":"/data/b","value":"9"}]',
    ]);
    expect(failed.code).toBe(1);
    await f.ok([
      'patch',
      'deploy',
      'web',
      '-p',
      '{"spec":{"template":{"spec":{"containers":[{"name":"sidecar","image":"busybox"}]}}}}',
    ]);
    const d = JSON.parse(await f.ok(['get', 'deploy', 'web', '-o', 'json']));
    expect(
      d.spec.template.spec.containers.map((c: { name: string }) => c.name),
    ).toEqual(['web', 'sidecar']);
    await f.ok([
      'patch',
      'deploy',
      'web',
      '-p',
      '{"spec":{"template":{"spec":{"containers":[{"name":"sidecar","$patch":"delete"}]}}}}',
    ]);
    const d2 = JSON.parse(await f.ok(['get', 'deploy', 'web', '-o', 'json']));
    expect(
      d2.spec.template.spec.containers.map((c: { name: string }) => c.name),
    ).toEqual(['web']);
  });

  it('replace with a stale resourceVersion is a Conflict', async () => {
    await f.ok(['create', 'cm', 'r', '--from-literal=a=1']);
    const stale = await f.ok(['get', 'cm', 'r', '-o', 'yaml']);
    await f.ok([
      'patch',
      'cm',
      'r',
      '--type',
      'merge',
      '-p',
      '{"data":{"a":"2"}}',
    ]);
    f.file('r.yaml', stale);
    const r = await f.kubectl(['replace', '-f', 'r.yaml']);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(
      'Error from server (Conflict): error when replacing "r.yaml": Operation cannot be fulfilled on configmaps "r": the object has been modified; please apply your changes to the latest version and try again',
    );
  });

  it('create reports AlreadyExists and Invalid like the real server', async () => {
    const dup = await f.kubectl(['create', 'cm', 'r']);
    expect(dup.stderr.trim()).toBe(
      'error: failed to create configmap: configmaps "r" already exists',
    );
    const invalid = await f.kubectl(['create', '-f', '-'], {
      input: `apiVersion: apps/v1
kind: Deployment
metadata: {name: broken}
spec:
  selector: {matchLabels: {app: a}}
  template:
    metadata: {labels: {app: b}}
    spec: {containers: [{name: c}]}
`,
    });
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toContain('The Deployment "broken" is invalid:');
    expect(invalid.stderr).toContain(
      'spec.template.metadata.labels: Invalid value: map[string]string{"app":"b"}: `selector` does not match template `labels`',
    );
    expect(invalid.stderr).toContain(
      'spec.template.spec.containers[0].image: Required value',
    );
    const badName = await f.kubectl(['create', 'cm', 'Bad_Name']);
    expect(badName.stderr).toContain(
      'metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain',
    );
    const svc = await f.kubectl(['create', '-f', '-'], {
      input:
        'apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {ports: [{port: 70000}]}\n',
    });
    expect(svc.stderr).toContain(
      'spec.ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive',
    );
    const noNs = await f.kubectl(['-n', 'missing', 'create', 'cm', 'x']);
    expect(noNs.stderr).toContain('namespaces "missing" not found');
  });
});
