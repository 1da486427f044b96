import type {
  GateStep,
  LifecycleRequest,
  PatchStep,
  Plan,
  PlanStep,
  ResolvedCanaryGate,
} from '@meshstage/plugin-mesh-common';
import { formatObjectRef, objectRef } from '@meshstage/plugin-mesh-common';
import type {
  KubeObject,
  MeshDetection,
  VendorManifests,
  VendorRenderRequest,
} from '@meshstage/plugin-mesh-node';
import {
  InMemoryClusterView,
  deleteStep,
  renderPlanDiff,
} from '@meshstage/plugin-mesh-node';
import { IstioAdapter } from '../IstioAdapter';
import { istiod, namespace, pod } from '../testFixtures';
import { renderIstioRevisionTag } from './controlPlane';

const NOW = '2026-11-25T12:00:00Z';
const adapter = new IstioAdapter();

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
  vendorManifests?: VendorManifests,
  canaryGate?: ResolvedCanaryGate,
): Promise<Plan> {
  const cluster = new InMemoryClusterView('dev', [
    ...objects,
    ...bookinfoDeployments,
  ]);
  const detection = await adapter.detect(cluster);
  const previousDetection: MeshDetection | undefined =
    previous &&
    (await adapter.detect(new InMemoryClusterView('dev', previous)));
  return adapter.plan(
    { mesh: 'istio', cluster: 'dev', ...request } as LifecycleRequest,
    {
      cluster,
      detection,
      previousDetection,
      now: NOW,
      vendorManifests,
      canaryGate,
    },
  );
}

// One line per step, as a reviewer reads the plan.
const lines = (steps: PlanStep[]) =>
  steps.map(s => {
    switch (s.type) {
      case 'apply':
        return `apply ${formatObjectRef(objectRef(s.object))}`;
      case 'wait':
        return `wait ${formatObjectRef(s.target)} ${s.condition}`;
      case 'benchmark':
        return `benchmark ${s.namespace} ${s.role} on ${s.revision}`;
      case 'gate':
        return `gate ${s.namespace} ${s.stable.revision} -> ${s.candidate.revision}`;
      default:
        return `${s.type} ${formatObjectRef(s.target)}`;
    }
  });

const istio123 = [
  istiod({ image: 'docker.io/istio/pilot:1.23.4' }),
  namespace('bookinfo', { 'istio-injection': 'enabled' }),
  pod('p', 'bookinfo', 'docker.io/istio/proxyv2:1.23.4'),
];

describe('planIstio', () => {
  it('installs in order and waits for istiod', async () => {
    const p = await plan({ action: 'install', version: '1.24.2' }, [
      namespace('bookinfo'),
    ]);
    expect(p.summary).toBe('Install Istio 1.24.2 on dev');
    const l = lines(p.steps);
    expect(l[0]).toBe('apply Namespace/istio-system');
    expect(l.slice(-5)).toEqual([
      'apply Deployment/istio-system/istiod',
      'apply Service/istio-system/istiod',
      'apply ValidatingWebhookConfiguration/istio-validator-istio-system',
      'apply MutatingWebhookConfiguration/istio-sidecar-injector',
      'wait Deployment/istio-system/istiod Available',
    ]);
    expect(JSON.parse(JSON.stringify(p))).toEqual(p);
  });

  it('refuses to install a revision that already runs, or an unsupported version', async () => {
    await expect(
      plan({ action: 'install', version: '1.24.2' }, istio123),
    ).rejects.toThrow('already installed');
    await expect(
      plan({ action: 'install', version: '1.19.0' }, []),
    ).rejects.toThrow('not supported');
  });

  it('uninstalls in reverse order, webhook first, CRDs and namespace last', async () => {
    const l = lines((await plan({ action: 'uninstall' }, istio123)).steps);
    expect(l[0]).toBe(
      'delete MutatingWebhookConfiguration/istio-sidecar-injector',
    );
    expect(l).toContain('delete Deployment/istio-system/istiod');
    expect(l[l.length - 1]).toBe('delete Namespace/istio-system');
    expect(l.every(s => s.startsWith('delete'))).toBe(true);
  });

  it('onboards with istio-injection when only the default revision runs, restarting every deployment', async () => {
    const p = await plan({ action: 'onboard', namespace: 'bookinfo' }, [
      istiod({ image: 'docker.io/istio/pilot:1.23.4' }),
      namespace('bookinfo'),
    ]);
    expect(lines(p.steps)).toEqual([
      'patch Namespace/bookinfo',
      'patch Deployment/bookinfo/details-v1',
      'patch Deployment/bookinfo/productpage-v1',
      'wait Deployment/bookinfo/details-v1 RolloutComplete',
      'wait Deployment/bookinfo/productpage-v1 RolloutComplete',
    ]);
    expect(p.steps[0]).toMatchObject({
      patch: {
        metadata: {
          labels: { 'istio-injection': 'enabled', 'istio.io/rev': null },
        },
      },
    });
    expect(p.steps[1]).toMatchObject({
      patch: {
        spec: {
          template: {
            metadata: {
              annotations: { 'kubectl.kubernetes.io/restartedAt': NOW },
            },
          },
        },
      },
    });
  });

  it('onboards with istio.io/rev to the newest revision when revisions run', async () => {
    const p = await plan({ action: 'onboard', namespace: 'bookinfo' }, [
      istiod({
        name: 'istiod-1-23-4',
        revision: '1-23-4',
        image: 'docker.io/istio/pilot:1.23.4',
      }),
      istiod({
        name: 'istiod-1-24-2',
        revision: '1-24-2',
        image: 'docker.io/istio/pilot:1.24.2',
      }),
      namespace('bookinfo'),
    ]);
    expect(p.steps[0]).toMatchObject({
      patch: {
        metadata: {
          labels: { 'istio.io/rev': '1-24-2', 'istio-injection': null },
        },
      },
    });
  });

  it('refuses to onboard before install; offboard removes both labels and restarts', async () => {
    await expect(
      plan({ action: 'onboard', namespace: 'bookinfo' }, [
        namespace('bookinfo'),
      ]),
    ).rejects.toThrow('install it before onboarding bookinfo');
    const p = await plan(
      { action: 'offboard', namespace: 'bookinfo' },
      istio123,
    );
    expect(p.steps[0]).toMatchObject({
      patch: {
        metadata: { labels: { 'istio-injection': null, 'istio.io/rev': null } },
      },
    });
    expect(lines(p.steps)).toHaveLength(5);
  });

  it('canary-upgrades: new revision beside the old, namespaces moved and restarted, then the old removed', async () => {
    const p = await plan(
      { action: 'upgrade', toVersion: '1.24.2', strategy: 'canary' },
      istio123,
    );
    expect(p.summary).toBe(
      'Canary-upgrade Istio 1.23.4 → 1.24.2 (revision 1-24-2) on dev',
    );
    const l = lines(p.steps);
    const at = (s: string) => {
      expect(l).toContain(s);
      return l.indexOf(s);
    };
    const newIstiod = at('apply Deployment/istio-system/istiod-1-24-2');
    const ready = at('wait Deployment/istio-system/istiod-1-24-2 Available');
    const move = at('patch Namespace/bookinfo');
    const rolled = at(
      'wait Deployment/bookinfo/productpage-v1 RolloutComplete',
    );
    const oldGone = at('delete Deployment/istio-system/istiod');
    expect([newIstiod, ready, move, rolled, oldGone]).toEqual(
      [...[newIstiod, ready, move, rolled, oldGone]].sort((a, b) => a - b),
    );
    expect(p.steps[move]).toMatchObject({
      patch: {
        metadata: {
          labels: { 'istio.io/rev': '1-24-2', 'istio-injection': null },
        },
      },
    });
    // CRDs and the namespace stay: the new revision uses them.
    expect(
      l.filter(
        s =>
          s.startsWith('delete') &&
          /CustomResourceDefinition|Namespace/.test(s),
      ),
    ).toEqual([]);
  });

  it('rolls a finished canary back: old revision reinstalled, namespaces moved back, new revision removed', async () => {
    const after = [
      istiod({
        name: 'istiod-1-24-2',
        revision: '1-24-2',
        image: 'docker.io/istio/pilot:1.24.2',
      }),
      namespace('bookinfo', { 'istio.io/rev': '1-24-2' }),
    ];
    const p = await plan({ action: 'rollback' }, after, istio123);
    const l = lines(p.steps);
    expect(p.summary).toBe(
      'Roll back Istio to 1.23.4 (revision default) on dev',
    );
    expect(
      l.indexOf('wait Deployment/istio-system/istiod Available'),
    ).toBeLessThan(l.indexOf('patch Namespace/bookinfo'));
    expect(p.steps[l.indexOf('patch Namespace/bookinfo')]).toMatchObject({
      patch: {
        metadata: {
          labels: { 'istio-injection': 'enabled', 'istio.io/rev': null },
        },
      },
    });
    expect(l[l.length - 1]).toBe(
      'delete ServiceAccount/istio-system/istiod-1-24-2',
    );
    expect(l).not.toContain('delete Deployment/istio-system/istiod');
  });

  it('aborts a canary in progress without a record by returning to the older revision', async () => {
    const mid = [
      istiod({ image: 'docker.io/istio/pilot:1.23.4' }),
      istiod({
        name: 'istiod-1-24-2',
        revision: '1-24-2',
        image: 'docker.io/istio/pilot:1.24.2',
      }),
      namespace('bookinfo', { 'istio.io/rev': '1-24-2' }),
    ];
    const l = lines((await plan({ action: 'rollback' }, mid)).steps);
    expect(l[0]).toBe('patch Namespace/bookinfo');
    expect(l).toContain('delete Deployment/istio-system/istiod-1-24-2');
    await expect(plan({ action: 'rollback' }, istio123)).rejects.toThrow(
      'Nothing to roll back',
    );
  });

  it('renders a readable dry run', async () => {
    const text = renderPlanDiff(
      await plan({ action: 'onboard', namespace: 'bookinfo' }, istio123),
    );
    expect(text).toContain(
      '~ Namespace/bookinfo (enable sidecar injection)\n~   /metadata/labels/istio-injection: "enabled"\n-   /metadata/labels/istio.io~1rev',
    );
  });
});

describe('planIstio revision tags', () => {
  const rev129 = istiod({
    name: 'istiod-1-29-6',
    revision: '1-29-6',
    image: 'docker.io/istio/pilot:1.29.6',
  });
  const rev130 = istiod({
    name: 'istiod-1-30-3',
    revision: '1-30-3',
    image: 'registry.istio.io/release/pilot:1.30.3',
  });
  const tag = (name: string, revision: string, version: string) =>
    renderIstioRevisionTag({ tag: name, revision, version }) as KubeObject[];
  const tagged129 = [
    rev129,
    ...tag('default', '1-29-6', '1.29.6'),
    namespace('bookinfo', { 'istio-injection': 'enabled' }),
    namespace('payments', { 'istio.io/rev': '1-29-6' }),
  ];

  it('installs a revision with the default tag pointing at it', async () => {
    const p = await plan(
      {
        action: 'install',
        version: '1.29.6',
        revision: '1-29-6',
        revisionTags: ['default'],
      },
      [],
    );
    expect(lines(p.steps).slice(-2)).toEqual([
      'apply Service/istio-system/istiod-revision-tag-default',
      'apply MutatingWebhookConfiguration/istio-revision-tag-default',
    ]);
    expect(p.summary).toBe(
      'Install Istio 1.29.6 as revision 1-29-6 tagged default on dev',
    );
  });

  it('canary-upgrades through the default tag: tagged namespaces restart in place, revision-bound ones are relabelled, the old revision goes', async () => {
    const p = await plan(
      {
        action: 'upgrade',
        toVersion: '1.30.3',
        strategy: 'canary',
        revisionTags: ['default'],
      },
      tagged129,
    );
    const l = lines(p.steps);
    const tagAt = l.indexOf(
      'apply MutatingWebhookConfiguration/istio-revision-tag-default',
    );
    expect(tagAt).toBeGreaterThan(
      l.indexOf('wait Deployment/istio-system/istiod-1-30-3 Available'),
    );
    const webhook = (p.steps[tagAt] as any).object;
    expect(webhook.metadata.labels['istio.io/rev']).toBe('1-30-3');
    expect(
      webhook.webhooks.every(
        (w: any) => w.clientConfig.service.name === 'istiod-1-30-3',
      ),
    ).toBe(true);
    // bookinfo keeps istio-injection=enabled and only restarts; payments moves to the revision.
    expect(l).not.toContain('patch Namespace/bookinfo');
    expect(l).toContain('patch Deployment/bookinfo/details-v1');
    expect(l).toContain('patch Namespace/payments');
    expect(l.at(-1)).toMatch(/^delete .*istiod-1-29-6|^delete /);
    expect(l).toContain('delete Deployment/istio-system/istiod-1-29-6');
    expect(l).not.toContain(
      'delete MutatingWebhookConfiguration/istio-revision-tag-default',
    );
    expect(p.summary).toMatch(/revision 1-30-3, tags default/);
  });

  describe('gated by a benchmark', () => {
    const gate: ResolvedCanaryGate = {
      namespace: 'bookinfo',
      profileId: 'p-1',
      profile: {
        name: 'productpage',
        endpoints: [
          { url: 'http://productpage.bookinfo.svc.cluster.local:9080/' },
        ],
        protocol: 'http1',
        engine: 'undici',
        connections: 8,
        rate: 100,
        requestCount: 1200,
        threads: 1,
        jitter: 0,
        loadGenerator: 'meshstage',
        inCluster: { cluster: 'dev', namespace: 'default', pods: 1 },
      },
      budget: { p99Increase: '20%', errorRateIncrease: 0.01 },
    };
    const request = {
      action: 'upgrade' as const,
      toVersion: '1.30.3',
      strategy: 'canary' as const,
      revisionTags: ['default'],
      gate: { profile: 'p-1', budget: gate.budget },
    };
    const labelsOf = (step: PlanStep) =>
      ((step as PatchStep).patch.metadata as { labels: object }).labels;

    it('moves the gate namespace alone between two benchmarks; the tag and the rest follow the gate', async () => {
      const p = await plan(request, tagged129, undefined, undefined, gate);
      const l = lines(p.steps);
      const at = (line: string) => {
        expect(l).toContain(line);
        return l.indexOf(line);
      };
      const installed = at(
        'wait Deployment/istio-system/istiod-1-30-3 Available',
      );
      expect(
        l.slice(installed + 1, at('gate bookinfo 1-29-6 -> 1-30-3') + 1),
      ).toEqual([
        'benchmark bookinfo baseline on 1-29-6',
        'patch Namespace/bookinfo',
        'patch Deployment/bookinfo/details-v1',
        'patch Deployment/bookinfo/productpage-v1',
        'wait Deployment/bookinfo/details-v1 RolloutComplete',
        'wait Deployment/bookinfo/productpage-v1 RolloutComplete',
        'benchmark bookinfo candidate on 1-30-3',
        'gate bookinfo 1-29-6 -> 1-30-3',
      ]);
      const gateAt = l.indexOf('gate bookinfo 1-29-6 -> 1-30-3');
      // Nothing else moves before the gate: the tag, payments and the old revision's removal after.
      for (const later of [
        'apply MutatingWebhookConfiguration/istio-revision-tag-default',
        'patch Namespace/payments',
        'delete Deployment/istio-system/istiod-1-29-6',
      ]) {
        expect(at(later)).toBeGreaterThan(gateAt);
      }
      // bookinfo first leaves the tag for the new revision, then follows the tag again.
      const moves = p.steps.filter(
        s =>
          s.type === 'patch' &&
          s.target.kind === 'Namespace' &&
          s.target.name === 'bookinfo',
      );
      expect(moves.map(labelsOf)).toEqual([
        { 'istio.io/rev': '1-30-3', 'istio-injection': null },
        { 'istio-injection': 'enabled', 'istio.io/rev': null },
      ]);
      expect(l.lastIndexOf('patch Namespace/bookinfo')).toBeGreaterThan(
        at('apply MutatingWebhookConfiguration/istio-revision-tag-default'),
      );
      // bookinfo's pods restart once (for the gate), not again when the tag moves.
      expect(
        l.filter(x => x === 'patch Deployment/bookinfo/details-v1'),
      ).toHaveLength(1);

      const [baseline, candidate] = p.steps.filter(s => s.type === 'benchmark');
      expect(baseline).toMatchObject({
        role: 'baseline',
        revision: '1-29-6',
        version: '1.29.6',
        profileId: 'p-1',
        profile: gate.profile,
      });
      expect(candidate).toMatchObject({
        role: 'candidate',
        revision: '1-30-3',
        version: '1.30.3',
      });
      expect(p.summary).toMatch(
        /gated by benchmark 'productpage' on namespace bookinfo/,
      );
    });

    it('holds the way back in the gate: the tag binding again and a restart of its own', async () => {
      const p = await plan(request, tagged129, undefined, undefined, gate);
      const g = p.steps.find((s): s is GateStep => s.type === 'gate')!;
      expect(g).toMatchObject({
        stable: { revision: '1-29-6', version: '1.29.6' },
        candidate: { revision: '1-30-3', version: '1.30.3' },
        budget: gate.budget,
      });
      expect(lines(g.rollback)).toEqual([
        'patch Namespace/bookinfo',
        'patch Deployment/bookinfo/details-v1',
        'patch Deployment/bookinfo/productpage-v1',
        'wait Deployment/bookinfo/details-v1 RolloutComplete',
        'wait Deployment/bookinfo/productpage-v1 RolloutComplete',
      ]);
      expect(labelsOf(g.rollback[0])).toEqual({
        'istio-injection': 'enabled',
        'istio.io/rev': null,
      });
      expect(g.rollback[1].description).toBe(
        "Patch Deployment/bookinfo/details-v1: restart so pods get revision 1-29-6's proxy again",
      );
      // Another restart value than the forward move's, or the Deployments would not roll.
      const restartedAt = (s: PlanStep) =>
        JSON.stringify((s as PatchStep).patch);
      const forward = p.steps.find(
        s => s.type === 'patch' && s.target.name === 'details-v1',
      )!;
      expect(restartedAt(g.rollback[1])).not.toBe(restartedAt(forward));

      const diff = renderPlanDiff(p);
      expect(diff).toContain(
        "Benchmark 'productpage' on namespace bookinfo, served by stable revision 1-29-6 (baseline): 1200 requests, 8 connections, 100 req/s, in cluster dev, namespace default",
      );
      expect(diff).toContain(
        '. Gate: promote revision 1-30-3 only if p99 rose at most 20% and the error rate at most 0.01 beyond run-to-run noise; else move namespace bookinfo back to 1-29-6 and stop',
      );
      expect(diff).toContain(
        '    Patch Namespace/bookinfo: move back to tag default (revision 1-29-6)',
      );
      expect(diff).toContain(
        "beyond run-to-run noise (the part of an increase outside the comparison's 95% interval), p99 rose by at most 20% of the baseline's p99 and the error rate by at most 0.01",
      );
    });

    it('moves a revision-bound namespace back to its revision', async () => {
      const p = await plan(request, tagged129, undefined, undefined, {
        ...gate,
        namespace: 'payments',
      });
      const g = p.steps.find((s): s is GateStep => s.type === 'gate')!;
      expect(labelsOf(g.rollback[0])).toEqual({
        'istio.io/rev': '1-29-6',
        'istio-injection': null,
      });
      // payments ends on the new revision, relabelled once (for the gate).
      expect(
        lines(p.steps).filter(x => x === 'patch Namespace/payments'),
      ).toHaveLength(1);
    });

    it('refuses a gate the backend did not resolve, or a namespace outside the mesh', async () => {
      await expect(plan(request, tagged129)).rejects.toThrow(
        /needs its gate resolved by the backend/,
      );
      await expect(
        plan(request, tagged129, undefined, undefined, {
          ...gate,
          namespace: 'default',
        }),
      ).rejects.toThrow(/Namespace default is not injected by Istio/);
    });
  });

  it('moves tags that point at a removed revision even when not asked', async () => {
    const p = await plan(
      { action: 'upgrade', toVersion: '1.30.3', strategy: 'canary' },
      [rev129, ...tag('prod-stable', '1-29-6', '1.29.6')],
    );
    expect(lines(p.steps)).toContain(
      'apply MutatingWebhookConfiguration/istio-revision-tag-prod-stable',
    );
  });

  it('rolls the tag back to the revision recorded before the upgrade and restarts its namespaces', async () => {
    const now = [
      rev130,
      ...tag('default', '1-30-3', '1.30.3'),
      namespace('bookinfo', { 'istio-injection': 'enabled' }),
    ];
    const before = [
      rev129,
      ...tag('default', '1-29-6', '1.29.6'),
      namespace('bookinfo', { 'istio-injection': 'enabled' }),
    ];
    const p = await plan({ action: 'rollback' }, now, before);
    const l = lines(p.steps);
    const tagStep = p.steps.find(
      s =>
        s.type === 'apply' &&
        s.object.metadata.name === 'istio-revision-tag-default',
    ) as any;
    expect(tagStep.object.metadata.labels['istio.io/rev']).toBe('1-29-6');
    expect(
      l.indexOf('wait Deployment/istio-system/istiod-1-29-6 Available'),
    ).toBeLessThan(
      l.indexOf(
        'apply MutatingWebhookConfiguration/istio-revision-tag-default',
      ),
    );
    expect(l).toContain('patch Deployment/bookinfo/details-v1');
    expect(l).not.toContain('patch Namespace/bookinfo');
    expect(l).toContain('delete Deployment/istio-system/istiod-1-30-3');
  });

  it('creates, moves and deletes tags; refuses what would break injection', async () => {
    const both = [rev129, rev130];
    const created = await plan(
      { action: 'set-tag', tag: 'prod-stable', revision: '1-30-3' },
      [...both, namespace('shop', { 'istio.io/rev': 'prod-stable' })],
    );
    expect(created.summary).toBe(
      'Create Istio revision tag prod-stable → revision 1-30-3 on dev',
    );
    const moved = await plan(
      { action: 'set-tag', tag: 'default', revision: '1-30-3' },
      [
        ...both,
        ...tag('default', '1-29-6', '1.29.6'),
        namespace('bookinfo', { 'istio-injection': 'enabled' }),
      ],
    );
    expect(moved.summary).toBe(
      'Move Istio revision tag default from 1-29-6 → revision 1-30-3 on dev',
    );
    expect(lines(moved.steps)).toContain(
      'patch Deployment/bookinfo/details-v1',
    );
    await expect(
      plan({ action: 'set-tag', tag: 'x', revision: '9-9-9' }, both),
    ).rejects.toThrow('Istio revision 9-9-9 is not installed');
    await expect(
      plan({ action: 'set-tag', tag: '1-29-6', revision: '1-30-3' }, both),
    ).rejects.toThrow('name of an installed revision');
    await expect(
      plan({ action: 'set-tag', tag: 'default', revision: '1-30-3' }, [
        istiod({ image: 'docker.io/istio/pilot:1.29.6' }),
        rev130,
      ]),
    ).rejects.toThrow('revision-less control plane answers the default tag');

    await expect(
      plan({ action: 'remove-tag', tag: 'default' }, tagged129),
    ).rejects.toThrow('Namespaces bookinfo still use revision tag default');
    const removed = await plan({ action: 'remove-tag', tag: 'prod-stable' }, [
      rev129,
      ...tag('prod-stable', '1-29-6', '1.29.6'),
    ]);
    expect(lines(removed.steps)).toEqual([
      'delete MutatingWebhookConfiguration/istio-revision-tag-prod-stable',
      'delete Service/istio-system/istiod-revision-tag-prod-stable',
    ]);
    await expect(
      plan({ action: 'remove-tag', tag: 'nope' }, both),
    ).rejects.toThrow('tag nope does not exist');
  });

  it('onboards to the default tag when there is one, so the namespace follows future upgrades', async () => {
    const p = await plan({ action: 'onboard', namespace: 'bookinfo' }, [
      rev129,
      ...tag('default', '1-29-6', '1.29.6'),
      namespace('bookinfo'),
    ]);
    expect(p.steps[0]).toMatchObject({
      patch: {
        metadata: {
          labels: { 'istio-injection': 'enabled', 'istio.io/rev': null },
        },
      },
    });
  });
});

describe('planIstio uninstall with the charts service', () => {
  const rev = (version: string) => version.replace(/\./g, '-');
  const release = (r: string) => ({
    'app.kubernetes.io/instance': r,
  });
  /** Renders a couple of objects per chart; pruneSteps deletes what it is told is installed. */
  function fakeVendor(versions: string[]) {
    const renders: VendorRenderRequest[] = [];
    const prunes: Array<Parameters<VendorManifests['pruneSteps']>[0]> = [];
    const vendor: VendorManifests = {
      source: 'helm',
      versions: () => versions.map(version => ({ version, source: 'helm' })),
      rendersVersion: v => versions.includes(v),
      async render(request) {
        renders.push(request);
        if (request.chart === 'base') {
          return [
            {
              apiVersion: 'apiextensions.k8s.io/v1',
              kind: 'CustomResourceDefinition',
              metadata: {
                name: 'gateways.networking.istio.io',
                labels: release(request.release),
              },
            },
          ];
        }
        const r = (request.values as any[])[0].revision || 'default';
        return [
          {
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            metadata: {
              name: `istiod-${r}`,
              namespace: 'istio-system',
              labels: release(request.release),
            },
          },
          ...((request.values as any[])[0].revisionTags ?? []).map(
            (tag: string) => ({
              apiVersion: 'admissionregistration.k8s.io/v1',
              kind: 'MutatingWebhookConfiguration',
              metadata: {
                name: `istio-revision-tag-${tag}`,
                labels: release(request.release),
              },
            }),
          ),
        ];
      },
      async pruneSteps(options) {
        prunes.push(options);
        return (options.installed ?? []).map(o => deleteStep(o));
      },
    };
    return { vendor, renders, prunes };
  }

  async function planWith(vendor: VendorManifests, objects: KubeObject[]) {
    const cluster = new InMemoryClusterView('dev', objects);
    return adapter.plan(
      { mesh: 'istio', cluster: 'dev', action: 'uninstall' },
      {
        cluster,
        detection: await adapter.detect(cluster),
        now: NOW,
        vendorManifests: vendor,
      },
    );
  }
  const chartOnly = [
    istiod({
      name: 'istiod-1-28-9',
      revision: '1-28-9',
      image: 'docker.io/istio/pilot:1.28.9',
    }),
    ...(renderIstioRevisionTag({
      tag: 'default',
      revision: '1-28-9',
      version: '1.29.6',
    }) as KubeObject[]),
  ];
  const sa = (name: string, ns = 'istio-system') =>
    ({
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name, namespace: ns },
    } as KubeObject);

  it('installs a gated canary from the charts untagged; only what the tags add is applied after the gate', async () => {
    const { vendor, renders } = fakeVendor(['1.29.6', '1.30.3']);
    const cluster = new InMemoryClusterView('dev', [
      istiod({
        name: 'istiod-1-29-6',
        revision: '1-29-6',
        image: 'docker.io/istio/pilot:1.29.6',
      }),
      ...(renderIstioRevisionTag({
        tag: 'default',
        revision: '1-29-6',
        version: '1.29.6',
      }) as KubeObject[]),
      namespace('bookinfo', { 'istio-injection': 'enabled' }),
      ...bookinfoDeployments,
    ]);
    const budget = { p99Increase: '10ms', errorRateIncrease: 0 };
    const p = await adapter.plan(
      {
        mesh: 'istio',
        cluster: 'dev',
        action: 'upgrade',
        toVersion: '1.30.3',
        strategy: 'canary',
        gate: { profile: 'p-1', budget },
      },
      {
        cluster,
        detection: await adapter.detect(cluster),
        now: NOW,
        vendorManifests: vendor,
        canaryGate: {
          namespace: 'bookinfo',
          profile: {
            name: 'productpage',
            endpoints: [{ url: 'http://productpage.bookinfo.svc:9080/' }],
            protocol: 'http1',
            engine: 'undici',
            connections: 4,
            rate: 0,
            duration: '5s',
            threads: 1,
            jitter: 0,
            loadGenerator: 'meshstage',
          },
          budget,
        },
      },
    );
    const tagsOfRenders = renders
      .filter(r => r.chart === 'istiod')
      .map(r => (r.values as any[])[0].revisionTags ?? []);
    expect(tagsOfRenders).toEqual([['default'], []]);
    const l = lines(p.steps);
    const gateAt = l.indexOf('gate bookinfo 1-29-6 -> 1-30-3');
    expect(gateAt).toBeGreaterThan(
      l.indexOf('wait Deployment/istio-system/istiod-1-30-3 Available'),
    );
    expect(l.slice(0, gateAt)).not.toContain(
      'apply MutatingWebhookConfiguration/istio-revision-tag-default',
    );
    expect(l[gateAt + 1]).toBe(
      'apply MutatingWebhookConfiguration/istio-revision-tag-default',
    );
    expect(
      l.filter(x => x === 'apply Deployment/istio-system/istiod-1-30-3'),
    ).toHaveLength(1);
  });

  it('uninstalls a chart-only version: its charts rendered, releases and records pruned, CRDs, namespace last', async () => {
    const { vendor, renders, prunes } = fakeVendor(['1.28.9']);
    const p = await planWith(vendor, chartOnly);
    expect(renders.map(r => [r.chart, r.release])).toEqual([
      ['base', 'istio-base'],
      ['istiod', 'istiod-1-28-9'],
    ]);
    expect((renders[1].values as any[])[0].revisionTags).toEqual(['default']);
    expect(prunes).toHaveLength(1);
    expect(prunes[0]).toMatchObject({
      next: [],
      releases: ['istiod-1-28-9', 'istio-base'],
      deleteCustomResourceDefinitions: true,
    });
    expect(lines(p.steps)).toEqual([
      'delete CustomResourceDefinition/gateways.networking.istio.io',
      'delete Deployment/istio-system/istiod-1-28-9',
      'delete MutatingWebhookConfiguration/istio-revision-tag-default',
      'delete Namespace/istio-system',
    ]);
    // Records without release labels: Istio's own, not a sample app's.
    expect(prunes[0].recorded!(sa('istiod-1-28-9'))).toBe(true);
    expect(prunes[0].recorded!(sa('details', 'bookinfo'))).toBe(false);
  });

  it('uninstalls a version neither the charts service nor the built-in renderer has: records and labels only', async () => {
    const { vendor, renders, prunes } = fakeVendor([]);
    const p = await planWith(vendor, chartOnly);
    expect(renders).toEqual([]);
    expect(prunes[0]).toMatchObject({
      next: [],
      installed: [],
      releases: ['istiod-1-28-9', 'istio-base'],
      deleteCustomResourceDefinitions: true,
    });
    expect(lines(p.steps)).toEqual(['delete Namespace/istio-system']);
  });

  it('uninstalls one revision of two: its release only, shared objects and CRDs kept', async () => {
    const { vendor, prunes } = fakeVendor(['1.28.9', '1.29.6']);
    const p = await plan(
      { action: 'uninstall', revision: rev('1.28.9') },
      [
        istiod({
          name: 'istiod-1-28-9',
          revision: '1-28-9',
          image: 'docker.io/istio/pilot:1.28.9',
        }),
        istiod({
          name: 'istiod-1-29-6',
          revision: '1-29-6',
          image: 'docker.io/istio/pilot:1.29.6',
        }),
      ],
      undefined,
      vendor,
    );
    expect(prunes[0]).toMatchObject({
      releases: ['istiod-1-28-9'],
      deleteCustomResourceDefinitions: false,
    });
    expect(lines(p.steps)).toEqual([
      'delete Deployment/istio-system/istiod-1-28-9',
    ]);
    expect(prunes[0].recorded!(sa('istiod-1-28-9'))).toBe(true);
    expect(prunes[0].recorded!(sa('istiod-1-29-6'))).toBe(false);
    expect(prunes[0].recorded!(sa('istio-reader-service-account'))).toBe(false);
  });
});
