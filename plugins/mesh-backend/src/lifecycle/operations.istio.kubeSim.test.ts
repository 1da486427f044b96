import { IstioAdapter } from '@meshstage/plugin-mesh-backend-module-istio';
import {
  HttpClusterView,
  eventually,
  kubeResources,
  podProxyTags,
} from '@meshstage/plugin-mesh-node';
import { meshTestDatabases } from '../database/__testUtils__/testDatabases';
import { startOperationsFixture } from './__testUtils__/operationsFixture';

// Istio's whole lifecycle through the REST API against a simulated cluster seeded like the dev
// cluster, asserting on what a user would see with kubectl.
// Real clusters and rollouts: generous when the machine is busy.
jest.setTimeout(180_000);

describe('Istio lifecycle operations through /api/mesh/operations', () => {
  const databases = meshTestDatabases();
  let fixture: Awaited<ReturnType<typeof startOperationsFixture>>;
  let app: typeof fixture.app;
  let cluster: HttpClusterView;
  const adapter = new IstioAdapter();

  beforeAll(async () => {
    fixture = await startOperationsFixture(databases, adapter);
    ({ app, cluster } = fixture);
  });

  afterAll(() => fixture?.stop());

  const istiodNames = async () =>
    (
      await cluster.list(kubeResources.deployments, {
        namespace: 'istio-system',
      })
    )
      .map(d => d.metadata.name)
      .sort();
  const proxyTags = () =>
    podProxyTags(cluster, 'bookinfo', adapter.injection.proxyContainerNames);
  const bookinfoLabels = async () =>
    (await cluster.list(kubeResources.namespaces)).find(
      n => n.metadata.name === 'bookinfo',
    )?.metadata.labels ?? {};

  async function run(body: object) {
    const res = await app.api.post('/operations', body);
    expect(res.status).toBe(202);
    const op = await app.settled(res.body.operation.id);
    if (op.state !== 'succeeded') {
      const detail = await app.api.get(`/operations/${op.id}`);
      throw new Error(
        `${op.summary}: ${op.state} ${op.error}\n${detail.body.log
          .map((l: any) => l.message)
          .join('\n')}`,
      );
    }
    return op;
  }

  it('shows a dry run as readable diff text and changes nothing', async () => {
    const res = await app.api.post('/operations', {
      action: 'install',
      mesh: 'istio',
      cluster: 'dev',
      version: '1.23.4',
      profile: 'minimal',
      dryRun: true,
    });
    expect(res.status).toBe(200);
    expect(res.body.plan.summary).toMatch(/Istio 1\.23\.4/);
    expect(res.body.diff).toContain('+ Deployment/istio-system/istiod');
    expect(res.body.diff).toMatch(/^## 1\. /m);
    expect(await istiodNames()).toEqual([]);
    expect(
      (await cluster.list(kubeResources.namespaces)).map(n => n.metadata.name),
    ).not.toContain('istio-system');
    expect((await app.api.get('/operations')).body.items).toEqual([]);
  });

  it('installs 1.23.4, streams its log, and records what it applied', async () => {
    const op = await run({
      action: 'install',
      mesh: 'istio',
      cluster: 'dev',
      version: '1.23.4',
      profile: 'minimal',
    });
    expect(op.createdBy).toBe('user:default/mock');
    expect(op.previousDetection).toMatchObject({ installed: false });
    expect(await istiodNames()).toEqual(['istiod']);

    const detail = await app.api.get(`/operations/${op.id}`);
    expect(detail.body.operation.plan.steps.length).toBeGreaterThan(3);
    const messages: string[] = detail.body.log.map((l: any) => l.message);
    expect(messages[0]).toMatch(/^Run 1 on backend instance test-instance/);
    expect(messages).toContain(
      `Step 1/${detail.body.operation.plan.steps.length}: ${detail.body.operation.plan.steps[0].description}`,
    );
    expect(messages.some(m => /done: created/.test(m))).toBe(true);
    expect(messages.at(-1)).toMatch(/^Succeeded/);

    const events = await app.api
      .get(`/operations/${op.id}/events`)
      .buffer(true)
      .parse((res, done) => {
        let text = '';
        res.on('data', (chunk: Buffer) => {
          text += chunk.toString();
        });
        res.on('end', () => done(null, text));
      });
    expect(events.headers['content-type']).toMatch(/^text\/event-stream/);
    const blocks = (events.body as string).trim().split('\n\n');
    expect(blocks).toHaveLength(detail.body.log.length + 1);
    expect(blocks[0]).toMatch(/^id: 1\nevent: log\ndata: \{/);
    expect(blocks.at(-1)).toBe(
      `event: state\ndata: ${JSON.stringify({
        state: 'succeeded',
        currentStep: detail.body.operation.plan.steps.length - 1,
      })}`,
    );

    const applied = await app.store.listAppliedObjects('dev', 'istio');
    expect(applied.map(a => a.ref.kind)).toContain('Deployment');
    expect(applied.every(a => a.operationId === op.id)).toBe(true);
  });

  it('onboards bookinfo: the namespace is labelled and every pod gets a 1.23.4 sidecar', async () => {
    await run({
      action: 'onboard',
      mesh: 'istio',
      cluster: 'dev',
      namespace: 'bookinfo',
    });
    expect(await bookinfoLabels()).toMatchObject({
      'istio-injection': 'enabled',
    });
    expect(
      await eventually(async () =>
        (await proxyTags())?.join() === '1.23.4' ? true : undefined,
      ),
    ).toBe(true);
  });

  it('canary-upgrades to 1.24.2, then rolls back to 1.23.4', async () => {
    await run({
      action: 'upgrade',
      mesh: 'istio',
      cluster: 'dev',
      toVersion: '1.24.2',
      strategy: 'canary',
    });
    expect(await istiodNames()).toEqual(['istiod-1-24-2']);
    expect(await bookinfoLabels()).toMatchObject({
      'istio.io/rev': '1-24-2',
    });
    expect(
      await eventually(async () =>
        (await proxyTags())?.join() === '1.24.2' ? true : undefined,
      ),
    ).toBe(true);

    const rollback = await run({
      action: 'rollback',
      mesh: 'istio',
      cluster: 'dev',
    });
    expect(rollback.summary).toMatch(/1\.23\.4/);
    expect(await istiodNames()).toEqual(['istiod']);
    expect(
      await eventually(async () =>
        (await proxyTags())?.join() === '1.23.4' ? true : undefined,
      ),
    ).toBe(true);

    const list = await app.api.get('/operations?cluster=dev&mesh=istio');
    expect(list.body.items.map((o: any) => [o.action, o.state])).toEqual([
      ['rollback', 'succeeded'],
      ['upgrade', 'succeeded'],
      ['onboard', 'succeeded'],
      ['install', 'succeeded'],
    ]);
  });

  it('uninstalls: no control plane left and nothing recorded as desired', async () => {
    await run({ action: 'uninstall', mesh: 'istio', cluster: 'dev' });
    expect(await istiodNames()).toEqual([]);
    expect(await adapter.detect(cluster)).toMatchObject({ installed: false });
    expect(await app.store.listAppliedObjects('dev', 'istio')).toEqual([]);
  });
});
