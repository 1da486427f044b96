import { IstioAdapter } from '@meshstage/plugin-mesh-backend-module-istio';
import { LinkerdAdapter } from '@meshstage/plugin-mesh-backend-module-linkerd';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { mockServices } from '@backstage/backend-test-utils';
import {
  HttpClusterView,
  type KubePod,
  eventually,
  kubeResources,
} from '@meshstage/plugin-mesh-node';
import { meshTestDatabases } from '../database/__testUtils__/testDatabases';
import { migrateMeshDatabase } from '../database';
import { DriftService, DriftStore } from '../drift';
import { startOperationsFixture } from './__testUtils__/operationsFixture';

// The current vendor versions through the operations API on kube-sim, rendered by the adapters'
// built-in renderer (kept equal to the vendors' charts by the adapters' vendorParity tests):
// Istio 1.29.6 → 1.30.3 canary through the `default` revision tag and back, Linkerd
// edge-26.5.5 → edge-26.8.3 and back with MeshStage's identity, whose private keys never show.
// kube-sim injects through the registered webhooks. Polls with generous deadlines, no timing.
jest.setTimeout(300_000);

const PRIVATE = [
  'PRIVATE KEY',
  // base64 of "-----BEGIN EC PRIVATE KEY" / "-----BEGIN PRIVATE KEY", as a Secret's data holds them
  Buffer.from('-----BEGIN EC PRIVATE KEY').toString('base64').slice(0, 32),
  Buffer.from('-----BEGIN PRIVATE KEY').toString('base64').slice(0, 28),
];
const expectNoPrivateKey = (what: string, value: unknown) => {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  for (const p of PRIVATE) {
    expect({ what, leaks: text.includes(p) }).toEqual({ what, leaks: false });
  }
};

/** The proxy images of a namespace's live pods, once every pod carries `container`. */
async function proxyImages(
  cluster: HttpClusterView,
  namespace: string,
  container: string,
): Promise<string[] | undefined> {
  const pods = (
    await cluster.list<KubePod>(kubeResources.pods, { namespace })
  ).filter(p => !p.metadata.deletionTimestamp);
  const images = pods.map(
    p =>
      [...(p.spec?.initContainers ?? []), ...(p.spec?.containers ?? [])].find(
        c => c.name === container,
      )?.image,
  );
  return pods.length > 0 && images.every(Boolean)
    ? [...new Set(images as string[])].sort()
    : undefined;
}

function setup(adapter: IstioAdapter | LinkerdAdapter) {
  const databases = meshTestDatabases();
  const ctx = {} as {
    fixture: Awaited<ReturnType<typeof startOperationsFixture>>;
    drift: DriftService;
  };
  beforeAll(async () => {
    ctx.fixture = await startOperationsFixture(databases, adapter);
    const knex = await databases.init('SQLITE_3');
    await migrateMeshDatabase(knex);
    ctx.drift = new DriftService({
      store: new DriftStore(knex),
      applied: (cluster, mesh) =>
        ctx.fixture.app.store.listAppliedObjects(cluster, mesh),
      clusters: ctx.fixture.app.clusters,
      logger: mockServices.logger.mock(),
    });
  });
  afterAll(() => ctx.fixture?.stop());

  async function run(body: Record<string, unknown>) {
    const { app } = ctx.fixture;
    const res = await app.api.post('/operations', {
      mesh: adapter.id,
      cluster: 'dev',
      ...body,
    });
    if (res.status !== 202) throw new Error(JSON.stringify(res.body));
    const op = await app.settled(res.body.operation.id, 240_000);
    const detail = await app.api.get(`/operations/${op.id}`);
    if (op.state !== 'succeeded') {
      throw new Error(
        `${op.summary}: ${op.state} ${op.error}\n${detail.body.log
          .map((l: any) => l.message)
          .join('\n')}`,
      );
    }
    return detail.body as { operation: any; log: any[] };
  }

  async function expectNoDrift() {
    const report = await ctx.drift.check('dev', adapter.id);
    expect(
      report.objects
        ?.filter((o: any) => o.status !== 'in-sync')
        .map((o: any) => ({
          ref: o.ref,
          status: o.status,
          differences: o.differences,
        })),
    ).toEqual([]);
    expect(report.drifted).toBe(false);
  }

  return { ctx, run, expectNoDrift };
}

describe('Istio 1.29.6 → 1.30.3 through the default revision tag (operations API, kube-sim)', () => {
  const adapter = new IstioAdapter();
  const { ctx, run, expectNoDrift } = setup(adapter);
  const images = () =>
    proxyImages(ctx.fixture.cluster, 'bookinfo', 'istio-proxy');
  const bookinfoLabels = async () =>
    (await ctx.fixture.cluster.list(kubeResources.namespaces)).find(
      n => n.metadata.name === 'bookinfo',
    )?.metadata.labels ?? {};

  it('installs 1.29.6 as revision 1-29-6 tagged default and onboards bookinfo through the tag', async () => {
    await run({
      action: 'install',
      version: '1.29.6',
      revision: '1-29-6',
      revisionTags: ['default'],
      profile: 'minimal',
    });
    await run({ action: 'onboard', namespace: 'bookinfo' });
    expect(await bookinfoLabels()).toMatchObject({
      'istio-injection': 'enabled',
    });
    expect(await bookinfoLabels()).not.toHaveProperty(['istio.io/rev']);
    expect(
      await eventually(async () => {
        const i = await images();
        return i?.join() === 'docker.io/istio/proxyv2:1.29.6' ? i : undefined;
      }, 120_000),
    ).toEqual(['docker.io/istio/proxyv2:1.29.6']);
    expect(await adapter.detect(ctx.fixture.cluster)).toMatchObject({
      installed: true,
      versions: ['1.29.6'],
      revisions: ['1-29-6'],
      revisionTags: [{ tag: 'default', revision: '1-29-6' }],
    });
    await expectNoDrift();
  });

  it('canary-upgrades to 1.30.3 by moving the tag: bookinfo is not relabelled, its pods get 1.30.3 proxies', async () => {
    const preview = await ctx.fixture.app.api.post('/operations', {
      mesh: 'istio',
      cluster: 'dev',
      action: 'upgrade',
      toVersion: '1.30.3',
      strategy: 'canary',
      revisionTags: ['default'],
      dryRun: true,
    });
    expect(preview.status).toBe(200);
    expect(preview.body.diff).toContain(
      '~ MutatingWebhookConfiguration/istio-revision-tag-default',
    );
    await run({
      action: 'upgrade',
      toVersion: '1.30.3',
      strategy: 'canary',
      revisionTags: ['default'],
    });
    expect(await bookinfoLabels()).toMatchObject({
      'istio-injection': 'enabled',
    });
    expect(await bookinfoLabels()).not.toHaveProperty(['istio.io/rev']);
    expect(
      await eventually(async () => {
        const i = await images();
        return i?.join() === 'registry.istio.io/release/proxyv2:1.30.3'
          ? i
          : undefined;
      }, 120_000),
    ).toEqual(['registry.istio.io/release/proxyv2:1.30.3']);
    expect(await adapter.detect(ctx.fixture.cluster)).toMatchObject({
      versions: ['1.30.3'],
      revisions: ['1-30-3'],
      revisionTags: [{ tag: 'default', revision: '1-30-3' }],
    });
    await expectNoDrift();
  });

  it('rolls back: the tag returns to 1-29-6 and the pods to 1.29.6 proxies', async () => {
    await run({ action: 'rollback' });
    expect(
      await eventually(async () => {
        const i = await images();
        return i?.join() === 'docker.io/istio/proxyv2:1.29.6' ? i : undefined;
      }, 120_000),
    ).toEqual(['docker.io/istio/proxyv2:1.29.6']);
    expect(await adapter.detect(ctx.fixture.cluster)).toMatchObject({
      versions: ['1.29.6'],
      revisions: ['1-29-6'],
      revisionTags: [{ tag: 'default', revision: '1-29-6' }],
    });
    await expectNoDrift();
  });

  it('creates, moves and deletes a named tag; names the field of a bad request', async () => {
    const bad = await ctx.fixture.app.api.post('/operations', {
      mesh: 'istio',
      cluster: 'dev',
      action: 'set-tag',
      tag: 'Prod Stable',
      revision: '1-29-6',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/body field 'tag'/);
    await run({ action: 'set-tag', tag: 'prod-stable', revision: '1-29-6' });
    expect((await adapter.detect(ctx.fixture.cluster)).revisionTags).toEqual([
      { tag: 'default', revision: '1-29-6' },
      { tag: 'prod-stable', revision: '1-29-6' },
    ]);
    await run({ action: 'remove-tag', tag: 'prod-stable' });
    expect((await adapter.detect(ctx.fixture.cluster)).revisionTags).toEqual([
      { tag: 'default', revision: '1-29-6' },
    ]);
    await expectNoDrift();
  });
});

describe('Linkerd edge-26.5.5 → edge-26.8.3 and back, with MeshStage identity (operations API, kube-sim)', () => {
  const adapter = new LinkerdAdapter();
  const { ctx, run, expectNoDrift } = setup(adapter);
  const images = () =>
    proxyImages(ctx.fixture.cluster, 'bookinfo', 'linkerd-proxy');
  const secret = async (name: string) =>
    (
      await ctx.fixture.cluster.list(
        { group: '', version: 'v1', plural: 'secrets' },
        { namespace: 'linkerd' },
      )
    ).find(s => s.metadata.name === name) as any;
  const decode = (s: any, k: string) =>
    Buffer.from(s.data[k], 'base64').toString();
  let anchorPEM = '';

  it('installs edge-26.5.5 with a trust anchor and issuer it made, and onboards bookinfo', async () => {
    const preview = await ctx.fixture.app.api.post('/operations', {
      mesh: 'linkerd',
      cluster: 'dev',
      action: 'install',
      version: 'edge-26.5.5',
      dryRun: true,
    });
    expect(preview.body.diff).toContain(
      '+ Secret/linkerd/linkerd-identity-issuer',
    );
    expect(preview.body.diff).toContain('<redacted>');
    expectNoPrivateKey('install dry run', preview.body);

    const install = await run({ action: 'install', version: 'edge-26.5.5' });
    expectNoPrivateKey('install operation', install);
    const issuer = await secret('linkerd-identity-issuer');
    expect(issuer.type).toBe('kubernetes.io/tls');
    expect(Object.keys(issuer.data).sort()).toEqual([
      'ca.crt',
      'tls.crt',
      'tls.key',
    ]);
    expect(decode(issuer, 'tls.key')).toMatch(
      /^-----BEGIN EC PRIVATE KEY-----/,
    );
    anchorPEM = decode(issuer, 'ca.crt');
    const cert = new X509Certificate(decode(issuer, 'tls.crt'));
    expect(cert.subject).toBe('CN=identity.linkerd.cluster.local');
    expect(cert.verify(new X509Certificate(anchorPEM).publicKey)).toBe(true);
    const maps = await ctx.fixture.cluster.list(kubeResources.configMaps, {
      namespace: 'linkerd',
    });
    const roots: any = maps.find(
      m => m.metadata.name === 'linkerd-identity-trust-roots',
    );
    expect(roots.data['ca-bundle.crt']).toBe(anchorPEM);
    const config: any = maps.find(m => m.metadata.name === 'linkerd-config');
    expect(JSON.parse(config.data.values).identityTrustAnchorsPEM).toBe(
      anchorPEM,
    );
    // Each webhook's caBundle verifies the serving certificate of the Secret its Service's pods
    // mount, whose key (applied, never planned) belongs to it.
    const webhooks = (
      await Promise.all(
        [
          'mutatingwebhookconfigurations',
          'validatingwebhookconfigurations',
        ].map(plural =>
          ctx.fixture.cluster.list({
            group: 'admissionregistration.k8s.io',
            version: 'v1',
            plural,
          }),
        ),
      )
    )
      .flat()
      .flatMap((c: any) => c.webhooks);
    expect(webhooks).toHaveLength(3);
    for (const w of webhooks) {
      const service = w.clientConfig.service.name;
      const serving = await secret(`${service}-k8s-tls`);
      const servingCert = new X509Certificate(decode(serving, 'tls.crt'));
      const ca = new X509Certificate(
        Buffer.from(w.clientConfig.caBundle, 'base64'),
      );
      expect({ service, verifies: servingCert.verify(ca.publicKey) }).toEqual({
        service,
        verifies: true,
      });
      expect(servingCert.checkHost(`${service}.linkerd.svc`)).toBeTruthy();
      expect(
        servingCert.checkPrivateKey(
          createPrivateKey(decode(serving, 'tls.key')),
        ),
      ).toBe(true);
    }

    await run({ action: 'onboard', namespace: 'bookinfo' });
    expect(
      await eventually(async () => {
        const i = await images();
        return i?.join() === 'cr.l5d.io/linkerd/proxy:edge-26.5.5'
          ? i
          : undefined;
      }, 120_000),
    ).toEqual(['cr.l5d.io/linkerd/proxy:edge-26.5.5']);
    expect(await adapter.detect(ctx.fixture.cluster)).toMatchObject({
      installed: true,
      versions: ['edge-26.5.5'],
    });
    await expectNoDrift();
  });

  it('rotates the issuer: a new certificate signed by the same anchor; no private key in the diff, the record, the priors or the log', async () => {
    const before = decode(await secret('linkerd-identity-issuer'), 'tls.crt');
    const preview = await ctx.fixture.app.api.post('/operations', {
      mesh: 'linkerd',
      cluster: 'dev',
      action: 'rotate-issuer',
      dryRun: true,
    });
    expect(preview.status).toBe(200);
    expect(preview.body.diff).toContain(
      '~ Secret/linkerd/linkerd-identity-issuer',
    );
    expectNoPrivateKey('rotate dry run', preview.body);

    const rotate = await run({ action: 'rotate-issuer' });
    expectNoPrivateKey('rotate operation record and step log', rotate);
    expectNoPrivateKey(
      'stored prior states',
      await ctx.fixture.app.store.listPriorStates(rotate.operation.id),
    );
    expectNoPrivateKey(
      'stored applied objects',
      await ctx.fixture.app.store.listAppliedObjects('dev', 'linkerd'),
    );
    const issuer = await secret('linkerd-identity-issuer');
    const after = decode(issuer, 'tls.crt');
    expect(after).not.toBe(before);
    expect(
      new X509Certificate(after).verify(
        new X509Certificate(anchorPEM).publicKey,
      ),
    ).toBe(true);
    expect(
      new X509Certificate(after).checkPrivateKey(
        require('node:crypto').createPrivateKey(decode(issuer, 'tls.key')),
      ),
    ).toBe(true);
    const list = await ctx.fixture.app.api.get('/operations?mesh=linkerd');
    expectNoPrivateKey('operation list', list.body);
    await expectNoDrift();
  });

  it('upgrades in place to edge-26.8.3 keeping the trust anchor, then rolls back to edge-26.5.5', async () => {
    await run({
      action: 'upgrade',
      toVersion: 'edge-26.8.3',
      strategy: 'in-place',
    });
    expect(
      await eventually(async () => {
        const i = await images();
        return i?.join() === 'cr.l5d.io/linkerd/proxy:edge-26.8.3'
          ? i
          : undefined;
      }, 120_000),
    ).toEqual(['cr.l5d.io/linkerd/proxy:edge-26.8.3']);
    expect(await adapter.detect(ctx.fixture.cluster)).toMatchObject({
      versions: ['edge-26.8.3'],
    });
    expect(decode(await secret('linkerd-identity-issuer'), 'ca.crt')).toBe(
      anchorPEM,
    );
    await expectNoDrift();

    await run({ action: 'rollback' });
    expect(
      await eventually(async () => {
        const i = await images();
        return i?.join() === 'cr.l5d.io/linkerd/proxy:edge-26.5.5'
          ? i
          : undefined;
      }, 120_000),
    ).toEqual(['cr.l5d.io/linkerd/proxy:edge-26.5.5']);
    expect(await adapter.detect(ctx.fixture.cluster)).toMatchObject({
      versions: ['edge-26.5.5'],
    });
    await expectNoDrift();
  });
});
