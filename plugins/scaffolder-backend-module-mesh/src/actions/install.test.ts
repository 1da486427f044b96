import { runAction } from '../__testUtils__/actionContext';
import {
  startMeshTestBackend,
  type MeshTestBackend,
} from '../__testUtils__/meshTestBackend';

// mesh:install against a real mesh backend (Istio adapter, kube-sim seeded like the dev cluster)
// over HTTP: plan, install, nothing to do, upgrade. Real rollouts: generous on the shared machine.
jest.setTimeout(180_000);

describe('mesh:install', () => {
  let t: MeshTestBackend;
  const run = (input: Record<string, unknown>, isDryRun = false) =>
    runAction(t.actions.get('mesh:install'), input, { isDryRun });
  const operationCount = async () =>
    (await t.meshApi('/operations')).items.length;
  const istiodImages = async () =>
    (
      (await t.kube('/apis/apps/v1/namespaces/istio-system/deployments'))
        .items ?? []
    ).map((d: any) => d.spec.template.spec.containers[0].image);

  beforeAll(async () => {
    t = await startMeshTestBackend();
  });
  afterAll(() => t?.stop());

  const install = {
    cluster: 'dev',
    mesh: 'istio',
    version: '1.23.4',
    profile: 'minimal',
  };

  it('dry run: outputs the install plan as numbered steps and changes nothing', async () => {
    const { outputs, logged } = await run(install, true);
    expect(outputs()).toEqual({
      action: 'install',
      state: 'dry-run',
      summary: 'Install Istio 1.23.4 on dev',
      plan: expect.stringMatching(/^Install Istio 1\.23\.4 on dev\n1\. /),
    });
    expect(outputs().plan).toMatch(
      /^\d+\. Apply Deployment\/istio-system\/istiod$/m,
    );
    // The full diff goes to the log.
    expect(logged().join('\n')).toContain('+ Deployment/istio-system/istiod');
    expect(await operationCount()).toBe(0);
    expect(await istiodImages()).toEqual([]);
  });

  it('planOnly: the same plan in a real run, nothing started', async () => {
    const { outputs } = await run({ ...install, planOnly: true });
    expect(outputs()).toMatchObject({ action: 'install', state: 'dry-run' });
    expect(outputs().operationId).toBeUndefined();
    expect(await operationCount()).toBe(0);
  });

  it('refuses values that are not a JSON object, and surfaces the backend’s 400 for a version it cannot install', async () => {
    await expect(run({ ...install, values: '{"pilot": ' })).rejects.toThrow(
      /^Invalid input 'values': not JSON/,
    );
    await expect(run({ ...install, values: '[1, 2]' })).rejects.toThrow(
      "Invalid input 'values': expected a JSON object",
    );
    await expect(run({ ...install, version: '0.0.1' })).rejects.toThrow(
      /'version'.*\[mesh backend: POST \/operations answered 400 InputError\]$/,
    );
    expect(await operationCount()).toBe(0);
  });

  it('installs as the user who runs the template and waits for the operation', async () => {
    const { outputs } = await run({ ...install, timeoutSeconds: 150 });
    expect(outputs()).toMatchObject({
      action: 'install',
      state: 'succeeded',
      summary: 'Install Istio 1.23.4 on dev',
      operationId: expect.any(String),
    });
    const { operation } = await t.meshApi(
      `/operations/${outputs().operationId}`,
    );
    expect(operation).toMatchObject({
      action: 'install',
      state: 'succeeded',
      createdBy: 'user:default/ann',
      request: { profile: 'minimal' },
    });
    expect(await istiodImages()).toEqual(['docker.io/istio/pilot:1.23.4']);
  });

  it('does nothing when the version already runs', async () => {
    const before = await operationCount();
    const { outputs } = await run(install);
    expect(outputs()).toEqual({
      action: 'none',
      state: 'unchanged',
      summary: 'istio 1.23.4 already runs on dev; nothing to do',
      plan: 'istio 1.23.4 already runs on dev; nothing to do (installed: 1.23.4)',
    });
    expect(await operationCount()).toBe(before);
  });

  it('upgrades when another version runs, saying that install-only settings do not apply', async () => {
    const upgrade = { ...install, version: '1.24.2' };
    const dry = await run(upgrade, true);
    expect(dry.outputs()).toMatchObject({
      action: 'upgrade',
      state: 'dry-run',
      summary: 'Upgrade Istio in place to 1.24.2 on dev',
    });
    expect(dry.logged()).toContain(
      "'profile' apply to installs only; the upgrade keeps the installed configuration",
    );
    expect(await istiodImages()).toEqual(['docker.io/istio/pilot:1.23.4']);

    const { outputs } = await run({ ...upgrade, timeoutSeconds: 150 });
    expect(outputs()).toMatchObject({
      action: 'upgrade',
      state: 'succeeded',
    });
    const { operation } = await t.meshApi(
      `/operations/${outputs().operationId}`,
    );
    expect(operation.request).toEqual({
      action: 'upgrade',
      cluster: 'dev',
      mesh: 'istio',
      toVersion: '1.24.2',
      strategy: 'in-place',
    });
    const [status] = (await t.meshApi('/status?cluster=dev&mesh=istio')).items;
    expect(status.versions).toEqual(['1.24.2']);
  });
});
