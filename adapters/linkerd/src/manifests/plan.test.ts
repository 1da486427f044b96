import { X509Certificate, createPrivateKey } from 'node:crypto';
import type {
  LifecycleRequest,
  Plan,
  PlanObject,
  PlanStep,
} from '@meshstage/plugin-mesh-common';
import { formatObjectRef, objectRef } from '@meshstage/plugin-mesh-common';
import type {
  KubeObject,
  VendorManifests,
  VendorRenderRequest,
} from '@meshstage/plugin-mesh-node';
import {
  InMemoryClusterView,
  MemoryPlanSecrets,
} from '@meshstage/plugin-mesh-node';
import { LinkerdAdapter } from '../LinkerdAdapter';
import { fullControlPlane, namespace, pod } from '../testFixtures';

const NOW = '2026-11-25T12:00:00Z';
const adapter = new LinkerdAdapter();

const bookinfoDeployments: KubeObject[] = ['details-v1', 'productpage-v1'].map(
  name => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'bookinfo' },
  }),
);

// The request without mesh and cluster, per action (Omit over each member of the union).
type Req = LifecycleRequest extends infer R
  ? R extends LifecycleRequest
    ? Omit<R, 'mesh' | 'cluster'>
    : never
  : never;

async function plan(
  request: Req,
  objects: KubeObject[],
  previous?: KubeObject[],
): Promise<Plan> {
  const cluster = new InMemoryClusterView('dev', [
    ...objects,
    ...bookinfoDeployments,
  ]);
  return adapter.plan(
    { mesh: 'linkerd', cluster: 'dev', ...request } as LifecycleRequest,
    {
      cluster,
      detection: await adapter.detect(cluster),
      previousDetection:
        previous &&
        (await adapter.detect(new InMemoryClusterView('dev', previous))),
      now: NOW,
      secrets: new MemoryPlanSecrets(),
    },
  );
}

const lines = (steps: PlanStep[]) =>
  steps.map(
    s =>
      `${s.type} ${formatObjectRef(
        s.type === 'apply'
          ? objectRef(s.object)
          : // Linkerd plans have no benchmark or gate steps (canary gates are Istio's).
            (s as Extract<PlanStep, { target: unknown }>).target,
      )}${s.type === 'wait' ? ` ${s.condition}` : ''}`,
  );

const linkerd = (version: string) => [
  namespace('linkerd', { labels: { 'linkerd.io/is-control-plane': 'true' } }),
  ...fullControlPlane({ version }),
  namespace('bookinfo', { annotations: { 'linkerd.io/inject': 'enabled' } }),
  pod('p', 'bookinfo', `cr.l5d.io/linkerd/proxy:${version}`),
];

describe('planLinkerd', () => {
  it('installs in order, then waits for identity, destination and the injector', async () => {
    const l = lines(
      (
        await plan({ action: 'install', version: 'stable-2.14.10' }, [
          namespace('bookinfo'),
        ])
      ).steps,
    );
    expect(l[0]).toBe('apply Namespace/linkerd');
    expect(l.slice(-4)).toEqual([
      'apply MutatingWebhookConfiguration/linkerd-proxy-injector-webhook-config',
      'wait Deployment/linkerd/linkerd-identity Available',
      'wait Deployment/linkerd/linkerd-destination Available',
      'wait Deployment/linkerd/linkerd-proxy-injector Available',
    ]);
  });

  it('refuses a second install, a revision, and an unsupported version', async () => {
    await expect(
      plan(
        { action: 'install', version: 'edge-24.11.8' },
        linkerd('stable-2.14.10'),
      ),
    ).rejects.toThrow('already installed');
    await expect(
      plan({ action: 'install', version: 'edge-24.11.8', revision: 'x' }, []),
    ).rejects.toThrow('no control-plane revisions');
    await expect(
      plan({ action: 'install', version: 'stable-2.12.0' }, []),
    ).rejects.toThrow('not supported');
  });

  it('uninstalls webhook first and the namespace last', async () => {
    const l = lines(
      (await plan({ action: 'uninstall' }, linkerd('stable-2.14.10'))).steps,
    );
    expect(l[0]).toBe(
      'delete MutatingWebhookConfiguration/linkerd-proxy-injector-webhook-config',
    );
    expect(l[l.length - 1]).toBe('delete Namespace/linkerd');
    expect(
      l.indexOf('delete Deployment/linkerd/linkerd-identity'),
    ).toBeLessThan(
      l.indexOf('delete CustomResourceDefinition/servers.policy.linkerd.io'),
    );
  });

  it('onboards with the inject annotation and restarts; offboard removes it', async () => {
    const on = await plan({ action: 'onboard', namespace: 'bookinfo' }, [
      ...linkerd('stable-2.14.10').slice(0, -2),
      namespace('bookinfo'),
    ]);
    expect(lines(on.steps)).toEqual([
      'patch Namespace/bookinfo',
      'patch Deployment/bookinfo/details-v1',
      'patch Deployment/bookinfo/productpage-v1',
      'wait Deployment/bookinfo/details-v1 RolloutComplete',
      'wait Deployment/bookinfo/productpage-v1 RolloutComplete',
    ]);
    expect(on.steps[0]).toMatchObject({
      patch: { metadata: { annotations: { 'linkerd.io/inject': 'enabled' } } },
    });
    const off = await plan(
      { action: 'offboard', namespace: 'bookinfo' },
      linkerd('stable-2.14.10'),
    );
    expect(off.steps[0]).toMatchObject({
      patch: { metadata: { annotations: { 'linkerd.io/inject': null } } },
    });
    await expect(
      plan({ action: 'onboard', namespace: 'bookinfo' }, [
        namespace('bookinfo'),
      ]),
    ).rejects.toThrow('install it before onboarding');
  });

  it('upgrades in place: new control plane, wait, then restart meshed workloads', async () => {
    const p = await plan(
      { action: 'upgrade', toVersion: 'edge-24.11.8', strategy: 'in-place' },
      linkerd('stable-2.14.10'),
    );
    expect(p.summary).toBe(
      'Upgrade Linkerd stable-2.14.10 → edge-24.11.8 on dev',
    );
    const l = lines(p.steps);
    expect(
      l.indexOf('wait Deployment/linkerd/linkerd-proxy-injector Available'),
    ).toBeLessThan(l.indexOf('patch Deployment/bookinfo/details-v1'));
    expect(l[l.length - 1]).toBe(
      'wait Deployment/bookinfo/productpage-v1 RolloutComplete',
    );
    const destination = p.steps.find(
      s =>
        s.type === 'apply' &&
        s.object.metadata.name === 'linkerd-destination' &&
        s.object.kind === 'Deployment',
    );
    expect(destination).toMatchObject({
      object: {
        metadata: {
          labels: { 'linkerd.io/control-plane-version': 'edge-24.11.8' },
        },
      },
    });
    await expect(
      plan(
        { action: 'upgrade', toVersion: 'edge-24.11.8', strategy: 'canary' },
        linkerd('stable-2.14.10'),
      ),
    ).rejects.toThrow('no canary');
  });

  it('rolls back to the recorded version, or refuses without a record', async () => {
    const p = await plan(
      { action: 'rollback' },
      linkerd('edge-24.11.8'),
      linkerd('stable-2.14.10'),
    );
    expect(p.summary).toBe(
      'Roll back Linkerd edge-24.11.8 → stable-2.14.10 on dev',
    );
    expect(
      p.steps
        .filter(s => s.type === 'apply' && s.object.kind === 'Deployment')
        .map(
          s =>
            s.type === 'apply' &&
            s.object.metadata.labels?.['linkerd.io/control-plane-version'],
        ),
    ).toEqual(['stable-2.14.10', 'stable-2.14.10', 'stable-2.14.10']);
    await expect(
      plan({ action: 'rollback' }, linkerd('edge-24.11.8')),
    ).rejects.toThrow('Nothing to roll back');
  });
});

describe('planLinkerd identity', () => {
  const request = {
    mesh: 'linkerd',
    cluster: 'dev',
    action: 'install',
    version: 'edge-26.8.3',
  } as LifecycleRequest;

  it('creates the trust anchor and issuer on install: Secrets first, trust roots in linkerd-config and its ConfigMap, keys redacted', async () => {
    const cluster = new InMemoryClusterView('dev', []);
    const secrets = new MemoryPlanSecrets();
    const p = await adapter.plan(request, {
      cluster,
      detection: await adapter.detect(cluster),
      secrets,
      now: NOW,
    });
    expect(lines(p.steps).slice(0, 3)).toEqual([
      'apply Namespace/linkerd',
      'apply Secret/linkerd/linkerd-trust-anchor',
      'apply Secret/linkerd/linkerd-identity-issuer',
    ]);
    const objects = p.steps.flatMap(s =>
      s.type === 'apply' ? [s.object] : [],
    );
    const issuer = objects.find(
      o => o.metadata.name === 'linkerd-identity-issuer',
    ) as any;
    expect(issuer.type).toBe('kubernetes.io/tls');
    expect(issuer.data['tls.key']).toBe('<redacted>');
    const anchor = Buffer.from(issuer.data['ca.crt'], 'base64').toString();
    expect(anchor).toMatch(/^-----BEGIN CERTIFICATE-----/);
    const roots = objects.find(
      o => o.metadata.name === 'linkerd-identity-trust-roots',
    ) as any;
    expect(roots.data['ca-bundle.crt']).toBe(anchor);
    const config = objects.find(
      o => o.metadata.name === 'linkerd-config',
    ) as any;
    expect(JSON.parse(config.data.values).identityTrustAnchorsPEM).toBe(anchor);
    expect(JSON.stringify(p)).not.toContain('PRIVATE KEY');
    expect(secrets.get(objectRef(issuer), 'tls.key')).toBeDefined();
  });

  it('refuses to generate keys when the caller cannot keep them out of the plan', async () => {
    const cluster = new InMemoryClusterView('dev', []);
    await expect(
      adapter.plan(request, {
        cluster,
        detection: await adapter.detect(cluster),
      }),
    ).rejects.toThrow('must stay out of the plan');
  });

  it('refuses to rotate an issuer whose trust anchor key MeshStage does not hold', async () => {
    const cluster = new InMemoryClusterView('dev', [...linkerd('edge-26.8.3')]);
    await expect(
      adapter.plan(
        { mesh: 'linkerd', cluster: 'dev', action: 'rotate-issuer' },
        {
          cluster,
          detection: await adapter.detect(cluster),
          secrets: new MemoryPlanSecrets(),
        },
      ),
    ).rejects.toThrow(
      "trust anchor's key is not in Secret linkerd/linkerd-trust-anchor",
    );
  });
});

describe('planLinkerd webhook serving certificates (built-in renderer)', () => {
  it('makes one per webhook Service: Secret with the key redacted, the certificate as caBundle', async () => {
    const cluster = new InMemoryClusterView('dev', [namespace('bookinfo')]);
    const secrets = new MemoryPlanSecrets();
    const result = await adapter.plan(
      {
        mesh: 'linkerd',
        cluster: 'dev',
        action: 'install',
        version: 'edge-26.8.3',
      },
      {
        cluster,
        detection: await adapter.detect(cluster),
        now: NOW,
        secrets,
      },
    );
    const applied = result.steps.flatMap(s =>
      s.type === 'apply' ? [s.object as any] : [],
    );
    const services = [
      'linkerd-policy-validator',
      'linkerd-proxy-injector',
      'linkerd-sp-validator',
    ];
    const webhooks = applied
      .filter(o => /WebhookConfiguration$/.test(o.kind))
      .flatMap(o => o.webhooks);
    expect(
      webhooks.map((w: any) => w.clientConfig.service.name).sort(),
    ).toEqual(services);
    for (const service of services) {
      const secret = applied.find(
        o => o.kind === 'Secret' && o.metadata.name === `${service}-k8s-tls`,
      );
      // Before the Deployments that mount it; the key only in the plan secrets.
      expect(applied.indexOf(secret)).toBeLessThan(
        applied.findIndex(o => o.kind === 'Deployment'),
      );
      expect(secret.type).toBe('kubernetes.io/tls');
      expect(secret.data['tls.key']).toBe('<redacted>');
      const cert = new X509Certificate(
        Buffer.from(secret.data['tls.crt'], 'base64'),
      );
      const webhook = webhooks.find(
        (w: any) => w.clientConfig.service.name === service,
      );
      const ca = new X509Certificate(
        Buffer.from(webhook.clientConfig.caBundle, 'base64'),
      );
      expect(cert.verify(ca.publicKey)).toBe(true);
      expect(cert.checkHost(`${service}.linkerd.svc`)).toBe(
        `${service}.linkerd.svc`,
      );
      expect(cert.publicKey.asymmetricKeyDetails?.namedCurve).toBe(
        'prime256v1',
      );
      const key = Buffer.from(
        secrets.get(
          {
            apiVersion: 'v1',
            kind: 'Secret',
            name: `${service}-k8s-tls`,
            namespace: 'linkerd',
          },
          'tls.key',
        )!,
        'base64',
      ).toString();
      expect(cert.checkPrivateKey(createPrivateKey(key))).toBe(true);
    }
    expect(JSON.stringify(result)).not.toContain('PRIVATE KEY');
  });
});

describe('planLinkerd with the vendor charts', () => {
  const cp = { 'linkerd.io/control-plane-ns': 'linkerd' };
  /** A VendorManifests that renders a few objects per chart and records what it was asked. */
  function fakeVendor(versions: string[]) {
    const renders: VendorRenderRequest[] = [];
    const prunes: Array<Parameters<VendorManifests['pruneSteps']>[0]> = [];
    const vendor: VendorManifests = {
      source: 'helm',
      versions: () => versions.map(version => ({ version, source: 'helm' })),
      rendersVersion: v => versions.includes(v),
      async render(request) {
        renders.push(request);
        if (request.chart === 'linkerd-crds') {
          return [
            {
              apiVersion: 'apiextensions.k8s.io/v1',
              kind: 'CustomResourceDefinition',
              metadata: { name: 'servers.policy.linkerd.io', labels: cp },
            },
          ];
        }
        return [
          {
            apiVersion: 'v1',
            kind: 'Secret',
            metadata: {
              name: 'linkerd-proxy-injector-k8s-tls',
              namespace: 'linkerd',
              labels: cp,
            },
            data: { 'tls.crt': 'Q0VSVA==', 'tls.key': 'S0VZIFBFTQ==' },
          } as PlanObject,
          {
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            metadata: {
              name: 'linkerd-destination',
              namespace: 'linkerd',
              labels: { ...cp, 'meshstage.test/chart': request.version },
            },
          },
        ];
      },
      async pruneSteps(options) {
        prunes.push(options);
        return [];
      },
    };
    return { vendor, renders, prunes };
  }

  async function planWith(
    vendor: VendorManifests,
    request: Req,
    objects: KubeObject[],
  ) {
    const cluster = new InMemoryClusterView('dev', objects);
    const secrets = new MemoryPlanSecrets();
    const result = await adapter.plan(
      { mesh: 'linkerd', cluster: 'dev', ...request } as LifecycleRequest,
      {
        cluster,
        detection: await adapter.detect(cluster),
        now: NOW,
        secrets,
        vendorManifests: vendor,
      },
    );
    return { result, secrets };
  }

  it('installs a version only the charts know, identity as values, private keys redacted', async () => {
    const { vendor, renders } = fakeVendor(['edge-27.1.1']);
    const { result, secrets } = await planWith(
      vendor,
      { action: 'install', version: 'edge-27.1.1' },
      [namespace('bookinfo')],
    );
    expect(renders.map(r => [r.chart, r.release, r.namespace])).toEqual([
      ['linkerd-crds', 'linkerd-crds', 'linkerd'],
      ['linkerd-control-plane', 'linkerd-control-plane', 'linkerd'],
    ]);
    const values = (renders[1].values as Array<Record<string, any>>)[0];
    expect(values.identityTrustAnchorsPEM).toMatch(/BEGIN CERTIFICATE/);
    expect(values.identity).toEqual({
      externalCA: true,
      issuer: { scheme: 'kubernetes.io/tls' },
    });
    expect(JSON.stringify(renders)).not.toContain('PRIVATE KEY');
    const l = lines(result.steps);
    expect(l.slice(0, 5)).toEqual([
      'apply Namespace/linkerd',
      'apply Secret/linkerd/linkerd-trust-anchor',
      'apply Secret/linkerd/linkerd-identity-issuer',
      'apply ConfigMap/linkerd/linkerd-identity-trust-roots',
      'apply CustomResourceDefinition/servers.policy.linkerd.io',
    ]);
    const webhookSecret = result.steps.find(
      s =>
        s.type === 'apply' &&
        s.object.metadata.name === 'linkerd-proxy-injector-k8s-tls',
    ) as unknown as { object: { data: Record<string, string> } };
    expect(webhookSecret.object.data).toEqual({
      'tls.crt': 'Q0VSVA==',
      'tls.key': '<redacted>',
    });
    expect(
      secrets.get(
        {
          apiVersion: 'v1',
          kind: 'Secret',
          name: 'linkerd-proxy-injector-k8s-tls',
          namespace: 'linkerd',
        },
        'tls.key',
      ),
    ).toBe('S0VZIFBFTQ==');
    expect(JSON.stringify(result)).not.toContain('PRIVATE KEY');
  });

  it('upgrades through the charts and prunes by the control-plane label', async () => {
    const { vendor, prunes } = fakeVendor(['edge-26.5.5', 'edge-27.1.1']);
    const { result } = await planWith(
      vendor,
      { action: 'upgrade', toVersion: 'edge-27.1.1', strategy: 'in-place' },
      linkerd('edge-26.5.5'),
    );
    expect(result.summary).toMatch(/edge-26\.5\.5 → edge-27\.1\.1/);
    expect(prunes).toHaveLength(1);
    expect(prunes[0].releases).toEqual([
      'linkerd-crds',
      'linkerd-control-plane',
    ]);
    expect(prunes[0].labelSelector).toBe('linkerd.io/control-plane-ns=linkerd');
    // MeshStage's identity Secrets are never pruned.
    expect(prunes[0].next.map(o => `${o.kind}/${o.metadata.name}`)).toEqual(
      expect.arrayContaining([
        'Secret/linkerd-identity-issuer',
        'Secret/linkerd-trust-anchor',
        'ConfigMap/linkerd-identity-trust-roots',
      ]),
    );
  });

  it('uninstalls a chart-only version: its charts, identity Secrets, records and labelled objects, CRDs, namespace last', async () => {
    const { vendor, renders, prunes } = fakeVendor(['edge-27.1.1']);
    const { result } = await planWith(
      vendor,
      { action: 'uninstall' },
      linkerd('edge-27.1.1'),
    );
    expect(result.summary).toBe('Uninstall Linkerd edge-27.1.1 from dev');
    expect(renders.map(r => r.chart)).toEqual([
      'linkerd-crds',
      'linkerd-control-plane',
    ]);
    expect(prunes).toHaveLength(1);
    expect(prunes[0]).toMatchObject({
      next: [],
      releases: ['linkerd-crds', 'linkerd-control-plane'],
      labelSelector: 'linkerd.io/control-plane-ns=linkerd',
      deleteCustomResourceDefinitions: true,
    });
    expect(
      prunes[0].installed!.map(o => `${o.kind}/${o.metadata.name}`),
    ).toEqual(
      expect.arrayContaining([
        'CustomResourceDefinition/servers.policy.linkerd.io',
        'Deployment/linkerd-destination',
        'Secret/linkerd-trust-anchor',
        'Secret/linkerd-identity-issuer',
        'ConfigMap/linkerd-identity-trust-roots',
      ]),
    );
    expect(prunes[0].installed!.some(o => o.kind === 'Namespace')).toBe(false);
    const sa = (name: string, ns?: string) =>
      ({
        apiVersion: 'v1',
        kind: 'ServiceAccount',
        metadata: { name, ...(ns ? { namespace: ns } : {}) },
      } as KubeObject);
    expect(prunes[0].recorded!(sa('linkerd-destination', 'linkerd'))).toBe(
      true,
    );
    expect(prunes[0].recorded!(sa('details', 'bookinfo'))).toBe(false);
    expect(lines(result.steps)).toEqual(['delete Namespace/linkerd']);

    // A version neither the charts service nor the built-in renderer has: records and labels.
    const gone = fakeVendor([]);
    const { result: blind } = await planWith(
      gone.vendor,
      { action: 'uninstall' },
      linkerd('edge-27.1.1'),
    );
    expect(gone.renders).toEqual([]);
    expect(
      gone.prunes[0].installed!.map(o => `${o.kind}/${o.metadata.name}`),
    ).toEqual([
      'Secret/linkerd-trust-anchor',
      'Secret/linkerd-identity-issuer',
      'Secret/linkerd-policy-validator-k8s-tls',
      'Secret/linkerd-proxy-injector-k8s-tls',
      'Secret/linkerd-sp-validator-k8s-tls',
    ]);
    expect(lines(blind.steps)).toEqual(['delete Namespace/linkerd']);
  });
});
