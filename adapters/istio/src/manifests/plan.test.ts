import type {
  LifecycleRequest,
  Plan,
  PlanStep,
} from '@meshstage/plugin-mesh-common';
import { formatObjectRef, objectRef } from '@meshstage/plugin-mesh-common';
import type { KubeObject, MeshDetection } from '@meshstage/plugin-mesh-node';
import {
  InMemoryClusterView,
  renderPlanDiff,
} from '@meshstage/plugin-mesh-node';
import { IstioAdapter } from '../IstioAdapter';
import { istiod, namespace, pod } from '../testFixtures';

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
    { cluster, detection, previousDetection, now: NOW },
  );
}

// One line per step, as a reviewer reads the plan.
const lines = (steps: PlanStep[]) =>
  steps.map(
    s =>
      `${s.type} ${formatObjectRef(
        s.type === 'apply' ? objectRef(s.object) : s.target,
      )}${s.type === 'wait' ? ` ${s.condition}` : ''}`,
  );

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
