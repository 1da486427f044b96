import type { Plan } from '@meshstage/plugin-mesh-common';
import { renderPlanDiff } from './planDiff';
import {
  applyStep,
  deleteStep,
  patchStep,
  restartDeploymentSteps,
  waitStep,
} from './planSteps';

const ns = {
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name: 'istio-system', labels: { a: '1' } },
};

const plan: Plan = {
  request: {
    action: 'onboard',
    mesh: 'istio',
    cluster: 'dev',
    namespace: 'bookinfo',
  },
  summary: 'Onboard bookinfo',
  steps: [
    applyStep(ns),
    patchStep(
      { apiVersion: 'v1', kind: 'Namespace', name: 'bookinfo' },
      {
        metadata: {
          labels: { 'istio-injection': 'enabled', 'istio.io/rev': null },
        },
      },
      'enable sidecar injection',
    ),
    waitStep(
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        name: 'istiod',
        namespace: 'istio-system',
      },
      'Available',
      120,
    ),
    deleteStep({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      name: 'old',
      namespace: 'istio-system',
    }),
  ],
};

describe('renderPlanDiff', () => {
  it('shows new objects in full, patched fields, removals, deletes and waits in order', () => {
    const text = renderPlanDiff(plan);
    expect(text).toContain('# Onboard bookinfo');
    expect(text).toContain(
      '## 1. Apply Namespace/istio-system\n+ Namespace/istio-system\n+   {',
    );
    expect(text).toContain('+     "kind": "Namespace",');
    expect(text).toContain(
      '~ Namespace/bookinfo (enable sidecar injection)\n~   /metadata/labels/istio-injection: "enabled"\n-   /metadata/labels/istio.io~1rev',
    );
    expect(text).toContain(
      '… wait for Deployment/istio-system/istiod Available (timeout 120s)',
    );
    expect(text).toContain('- ConfigMap/istio-system/old');
    expect(text.indexOf('## 2.')).toBeLessThan(text.indexOf('## 3.'));
  });

  it('shows only changed fields when the live object is known', () => {
    const text = renderPlanDiff(plan, {
      existing: ref =>
        ref.name === 'istio-system'
          ? {
              ...ns,
              metadata: { name: 'istio-system', labels: { a: '0' }, uid: 'x' },
            }
          : undefined,
    });
    expect(text).toContain(
      '~ Namespace/istio-system\n~   /metadata/labels/a: "0" → "1"',
    );
    expect(text).not.toContain('+     "kind": "Namespace"');
  });

  it('shows one changed container field, not the whole list, with server defaults ignored', () => {
    const deployment = (image: string) => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'istiod', namespace: 'istio-system' },
      spec: {
        template: { spec: { containers: [{ name: 'discovery', image }] } },
      },
    });
    const live = deployment('pilot:1.23.9');
    (live.spec.template.spec.containers[0] as any).imagePullPolicy =
      'IfNotPresent';
    const text = renderPlanDiff(
      {
        request: plan.request,
        summary: 'Restore',
        steps: [
          {
            type: 'apply',
            description: 'Apply Deployment/istio-system/istiod',
            object: deployment('pilot:1.23.4'),
          },
        ],
      },
      { existing: () => live },
    );
    expect(text).toContain(
      '~ Deployment/istio-system/istiod\n~   /spec/template/spec/containers/discovery/image: "pilot:1.23.9" → "pilot:1.23.4"\n',
    );
  });

  it('marks an apply that changes nothing as unchanged', () => {
    expect(renderPlanDiff(plan, { existing: () => ns })).toContain(
      '= Namespace/istio-system (unchanged)',
    );
  });
});

describe('restartDeploymentSteps', () => {
  it('patches every template with the restart time, then waits for every rollout', () => {
    const deployments = ['b', 'a'].map(name => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace: 'bookinfo' },
    }));
    const steps = restartDeploymentSteps(
      deployments,
      '2026-01-01T00:00:00Z',
      'restart',
    );
    expect(
      steps.map(s => `${s.type} ${'target' in s ? s.target.name : ''}`),
    ).toEqual(['patch a', 'patch b', 'wait a', 'wait b']);
    expect(steps[0]).toMatchObject({
      patch: {
        spec: {
          template: {
            metadata: {
              annotations: {
                'kubectl.kubernetes.io/restartedAt': '2026-01-01T00:00:00Z',
              },
            },
          },
        },
      },
    });
    expect(steps[2]).toMatchObject({ condition: 'RolloutComplete' });
  });
});
