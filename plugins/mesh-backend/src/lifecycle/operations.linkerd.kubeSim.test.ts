import { LinkerdAdapter } from '@meshstage/plugin-mesh-backend-module-linkerd';
import {
  HttpClusterView,
  eventually,
  imageTag,
  kubeResources,
  podProxyTags,
  type KubeDeployment,
} from '@meshstage/plugin-mesh-node';
import { meshTestDatabases } from '../database/__testUtils__/testDatabases';
import { startOperationsFixture } from './__testUtils__/operationsFixture';

// Linkerd install, onboard, in-place upgrade and rollback through the REST API.
// Real clusters and rollouts: generous when the machine is busy.
jest.setTimeout(180_000);

describe('Linkerd lifecycle operations through /api/mesh/operations', () => {
  const databases = meshTestDatabases();
  let fixture: Awaited<ReturnType<typeof startOperationsFixture>>;
  let app: typeof fixture.app;
  let cluster: HttpClusterView;
  const adapter = new LinkerdAdapter();

  beforeAll(async () => {
    fixture = await startOperationsFixture(databases, adapter);
    ({ app, cluster } = fixture);
  });

  afterAll(() => fixture?.stop());

  /** `name=tag` of the control-plane Deployments' first containers. */
  const controlPlane = async () =>
    (
      await cluster.list<KubeDeployment>(kubeResources.deployments, {
        namespace: 'linkerd',
      })
    )
      .map(
        d =>
          `${d.metadata.name}=${imageTag(
            d.spec?.template?.spec?.containers[0]?.image,
          )}`,
      )
      .sort();
  const proxyTags = () =>
    podProxyTags(cluster, 'bookinfo', adapter.injection.proxyContainerNames);

  async function run(body: object) {
    const res = await app.api.post('/operations', body);
    expect(res.status).toBe(202);
    const op = await app.settled(res.body.operation.id);
    expect([op.summary, op.state, op.error]).toEqual([
      op.summary,
      'succeeded',
      undefined,
    ]);
    return op;
  }

  it('installs stable-2.14.10 and onboards bookinfo', async () => {
    await run({
      action: 'install',
      mesh: 'linkerd',
      cluster: 'dev',
      version: 'stable-2.14.10',
    });
    expect(await controlPlane()).toEqual([
      'linkerd-destination=stable-2.14.10',
      'linkerd-identity=stable-2.14.10',
      'linkerd-proxy-injector=stable-2.14.10',
    ]);
    await run({
      action: 'onboard',
      mesh: 'linkerd',
      cluster: 'dev',
      namespace: 'bookinfo',
    });
    const bookinfo = (await cluster.list(kubeResources.namespaces)).find(
      n => n.metadata.name === 'bookinfo',
    );
    expect(bookinfo?.metadata.annotations).toMatchObject({
      'linkerd.io/inject': 'enabled',
    });
    expect(
      await eventually(async () =>
        (await proxyTags())?.join() === 'stable-2.14.10' ? true : undefined,
      ),
    ).toBe(true);
  });

  it('upgrades in place to edge-24.11.8, then rolls back', async () => {
    const upgrade = await run({
      action: 'upgrade',
      mesh: 'linkerd',
      cluster: 'dev',
      toVersion: 'edge-24.11.8',
      strategy: 'in-place',
    });
    expect(upgrade.previousDetection?.versions).toEqual(['stable-2.14.10']);
    expect(await controlPlane()).toEqual([
      'linkerd-destination=edge-24.11.8',
      'linkerd-identity=edge-24.11.8',
      'linkerd-proxy-injector=edge-24.11.8',
    ]);
    expect(
      await eventually(async () =>
        (await proxyTags())?.join() === 'edge-24.11.8' ? true : undefined,
      ),
    ).toBe(true);

    // Rolls back the operation named: the version recorded before it comes back.
    await run({
      action: 'rollback',
      mesh: 'linkerd',
      cluster: 'dev',
      operationId: upgrade.id,
    });
    expect(await controlPlane()).toEqual([
      'linkerd-destination=stable-2.14.10',
      'linkerd-identity=stable-2.14.10',
      'linkerd-proxy-injector=stable-2.14.10',
    ]);
    expect(
      await eventually(async () =>
        (await proxyTags())?.join() === 'stable-2.14.10' ? true : undefined,
      ),
    ).toBe(true);
  });

  it('refuses a canary upgrade with the adapter’s reason, as a 400', async () => {
    const res = await app.api.post('/operations', {
      action: 'upgrade',
      mesh: 'linkerd',
      cluster: 'dev',
      toVersion: 'edge-24.11.8',
      strategy: 'canary',
    });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/no canary upgrade/);
    expect(await app.store.lockHolder('dev', 'linkerd')).toBeUndefined();
  });
});
