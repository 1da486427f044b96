import { kubectlFixture, KubectlFixture } from '../__testUtils__/kubectl';

jest.setTimeout(180_000);

// kubectl 1.27/1.28 validate and explain with OpenAPI v2, which they read as protobuf.
describe('kubectl 1.27 (picked by the dispatcher for a v1.27 server)', () => {
  let f: KubectlFixture;
  beforeAll(async () => {
    f = await kubectlFixture({ gitVersion: 'v1.27.3' });
  });
  afterAll(() => f.close());

  it('runs the matching kubectl', async () => {
    const v = JSON.parse(await f.ok(['version', '-o', 'json']));
    expect(v.clientVersion.minor).toBe('27');
    expect(v.serverVersion.gitVersion).toBe('v1.27.3');
  });

  it('applies with server-side validation and explains from OpenAPI v2', async () => {
    const cm = (v: string) =>
      `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: "${v}"}\n`;
    expect(
      (await f.ok(['apply', '-f', f.file('cm.yaml', cm('1'))])).trim(),
    ).toBe('configmap/c created');
    expect(
      (await f.ok(['apply', '-f', f.file('cm.yaml', cm('2'))])).trim(),
    ).toBe('configmap/c configured');
    const bad = await f.kubectl([
      'apply',
      '-f',
      f.file(
        'bad.yaml',
        'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\nbogus: 1\n',
      ),
    ]);
    expect(bad.stderr).toContain(
      'strict decoding error: unknown field "bogus"',
    );
    const explain = await f.ok(['explain', 'deployment.spec.replicas']);
    expect(explain).toContain('FIELD: replicas <integer>');
    expect(explain).toContain('Number of desired pods');
  });
});

// kubectl 1.32/1.33 send protobuf bodies from their `create` generators.
describe('kubectl 1.33 (picked by the dispatcher for a v1.33 server)', () => {
  let f: KubectlFixture;
  beforeAll(async () => {
    f = await kubectlFixture({ gitVersion: 'v1.33.1' });
  });
  afterAll(() => f.close());

  it('creates objects from protobuf request bodies', async () => {
    const v = JSON.parse(await f.ok(['version', '-o', 'json']));
    expect(v.clientVersion.minor).toBe('33');
    expect(
      (
        await f.ok([
          'create',
          'deployment',
          'web',
          '--image=nginx:1.25',
          '--replicas=2',
          '--port=80',
        ])
      ).trim(),
    ).toBe('deployment.apps/web created');
    await f.ok(['rollout', 'status', 'deploy/web', '--timeout=120s']);
    const d = JSON.parse(await f.ok(['get', 'deploy', 'web', '-o', 'json']));
    expect(d.spec.replicas).toBe(2);
    expect(d.spec.template.spec.containers[0]).toMatchObject({
      name: 'nginx',
      image: 'nginx:1.25',
      ports: [{ containerPort: 80, protocol: 'TCP' }],
    });
    await f.ok(['create', 'configmap', 'c', '--from-literal=a=b']);
    expect(
      JSON.parse(await f.ok(['get', 'cm', 'c', '-o', 'json'])).data,
    ).toEqual({ a: 'b' });
    await f.ok(['create', 'secret', 'generic', 's', '--from-literal=k=v']);
    expect(
      JSON.parse(await f.ok(['get', 'secret', 's', '-o', 'json'])).data,
    ).toEqual({ k: 'dg==' });
    await f.ok(['create', 'service', 'nodeport', 'np', '--tcp=80:8080']);
    const svc = JSON.parse(await f.ok(['get', 'svc', 'np', '-o', 'json']));
    expect(svc.spec.ports[0]).toMatchObject({
      port: 80,
      targetPort: 8080,
      nodePort: expect.any(Number),
    });
    await f.ok(['create', 'ingress', 'i', '--rule=foo.com/=svc:80']);
    expect(
      JSON.parse(await f.ok(['get', 'ingress', 'i', '-o', 'json'])).spec
        .rules[0],
    ).toMatchObject({
      host: 'foo.com',
      http: { paths: [{ path: '/', pathType: 'Exact' }] },
    });
  });
});
