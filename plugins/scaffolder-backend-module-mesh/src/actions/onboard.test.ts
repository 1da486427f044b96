import { mockServices } from '@backstage/backend-test-utils';
import { runAction } from '../__testUtils__/actionContext';
import {
  eventually,
  startMeshTestBackend,
  type MeshTestBackend,
} from '../__testUtils__/meshTestBackend';

// mesh:onboard against a real mesh backend (Istio adapter, kube-sim seeded like the dev cluster)
// over HTTP, as user:default/ann. Real rollouts: generous on the shared machine.
jest.setTimeout(180_000);

describe('mesh:onboard', () => {
  let t: MeshTestBackend;
  const run = (input: Record<string, unknown>, isDryRun = false) =>
    runAction(t.actions.get('mesh:onboard'), input, { isDryRun });
  const operationCount = async () =>
    (await t.meshApi('/operations')).items.length;
  const bookinfoLabels = async () =>
    (await t.kube('/api/v1/namespaces/bookinfo')).metadata.labels ?? {};

  beforeAll(async () => {
    t = await startMeshTestBackend();
    // Onboarding needs the control plane.
    const { operation } = await t.meshApi('/operations', {
      body: {
        action: 'install',
        mesh: 'istio',
        cluster: 'dev',
        version: '1.23.4',
        profile: 'minimal',
      },
    });
    await eventually(async () =>
      (await t.meshApi(`/operations/${operation.id}`)).operation.state ===
      'succeeded'
        ? true
        : undefined,
    );
  });
  afterAll(() => t?.stop());

  it('refuses input that names nothing to onboard, before asking the backend', async () => {
    const before = await operationCount();
    await expect(run({ mesh: 'istio', cluster: 'dev' })).rejects.toThrow(
      "Give 'entityRef' (the entity whose namespace to onboard) or 'namespace'",
    );
    await expect(run({ entityRef: 'component:' })).rejects.toThrow(
      /^Invalid input 'entityRef': /,
    );
    expect(await operationCount()).toBe(before);
  });

  it('says to give the namespace when the entity has no pods to find it from', async () => {
    await expect(
      run({ entityRef: 'component:default/not-deployed' }),
    ).rejects.toThrow(
      "No pods of component:default/not-deployed run on cluster 'dev', so its namespace is unknown; give 'namespace'",
    );
  });

  it("surfaces the backend's 400 with its message", async () => {
    await expect(
      run({ namespace: 'bookinfo', mesh: 'cilium', cluster: 'dev' }),
    ).rejects.toThrow(
      "Unknown mesh 'cilium' in body field 'mesh'; known meshes: istio, linkerd [mesh backend: POST /operations answered 400 InputError]",
    );
  });

  it('dry run: logs the plan for the entity’s namespace, records and changes nothing', async () => {
    const before = await operationCount();
    const { outputs, logged } = await run(
      { entityRef: 'component:default/productpage' },
      true,
    );
    expect(outputs()).toEqual({
      namespace: 'bookinfo',
      cluster: 'dev',
      mesh: 'istio',
      state: 'dry-run',
      summary: 'Onboard namespace bookinfo to Istio on dev',
      plan: expect.stringMatching(
        /^Onboard namespace bookinfo to Istio on dev\n1\. Patch Namespace\/bookinfo: enable sidecar injection\n/,
      ),
    });
    expect(logged().join('\n')).toContain('## 1. Patch Namespace/bookinfo');
    expect(await operationCount()).toBe(before);
    expect(await bookinfoLabels()).not.toHaveProperty('istio-injection');
  });

  it("onboards the entity's namespace as the user who runs the template and waits for the operation", async () => {
    const { outputs, logged } = await run({
      entityRef: 'component:default/productpage',
      timeoutSeconds: 150,
    });
    const out = outputs();
    expect(out).toMatchObject({
      namespace: 'bookinfo',
      cluster: 'dev',
      mesh: 'istio',
      state: 'succeeded',
      operationId: expect.any(String),
    });
    const { operation } = await t.meshApi(`/operations/${out.operationId}`);
    expect(operation).toMatchObject({
      state: 'succeeded',
      action: 'onboard',
      createdBy: 'user:default/ann',
    });
    expect(await bookinfoLabels()).toMatchObject({
      'istio-injection': 'enabled',
    });
    // The operation's step log was followed into the scaffolder's log.
    expect(
      logged().some(l =>
        l.startsWith(`[operation ${out.operationId.slice(0, 8)}] Step 1/`),
      ),
    ).toBe(true);
  });

  it("fails the step with the operation's reason", async () => {
    await expect(
      run({ namespace: 'ghost', mesh: 'istio', cluster: 'dev' }),
    ).rejects.toThrow(
      /^Onboard namespace ghost to Istio on dev: failed: Step 1 \(Patch Namespace\/ghost: enable sidecar injection\) failed: Namespace\/ghost does not exist \(operation [0-9a-f-]+\)$/,
    );
    const [latest] = (await t.meshApi('/operations?limit=1')).items;
    expect(latest).toMatchObject({
      state: 'failed',
      summary: 'Onboard namespace ghost to Istio on dev',
    });
  });
});

describe('mesh:onboard for a user the mesh backend denies', () => {
  let t: MeshTestBackend;
  beforeAll(async () => {
    t = await startMeshTestBackend({
      features: [mockServices.permissions.factory({ result: 'DENY' as any })],
    });
  });
  afterAll(() => t?.stop());

  it("fails the step with the backend's 403 naming the permission", async () => {
    const input = { namespace: 'bookinfo', mesh: 'istio', cluster: 'dev' };
    await expect(
      runAction(t.actions.get('mesh:onboard'), input),
    ).rejects.toThrow(
      'Not allowed (permission mesh.operation.onboard, or mesh.entity.onboard on the entities the request concerns) [mesh backend: POST /operations answered 403 NotAllowedError]',
    );
    await expect(
      runAction(t.actions.get('mesh:onboard'), input, { isDryRun: true }),
    ).rejects.toThrow('Not allowed (permission mesh.operation.read)');
  });
});
