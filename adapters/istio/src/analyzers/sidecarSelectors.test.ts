import { brief, run } from './__testUtils__/run';
import { sidecarSelectorsAnalyzer } from './sidecarSelectors';

const workload = `apiVersion: apps/v1
kind: Deployment
metadata: {name: cart, namespace: shop}
spec:
  template:
    metadata: {labels: {app: cart, tier: web}}
    spec: {containers: [{name: app}]}
`;
function sidecar(name: string, labels?: string) {
  return `---
apiVersion: networking.istio.io/v1
kind: Sidecar
metadata: {name: ${name}, namespace: shop}
spec:
${
  labels ? `  workloadSelector:\n    labels: ${labels}\n` : ''
}  egress: [{hosts: ["./*"]}]
`;
}

const pod = (name: string, labels: string) => `---
apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: shop, labels: ${labels}}
spec: {containers: [{name: app}]}
`;

describe('MS0206/MS0207/MS0225 Sidecar selectors', () => {
  it('flags Sidecars whose selectors pick the same pod (IST0110), per pod', () => {
    const findings = run(
      sidecarSelectorsAnalyzer,
      pod('cart-1', '{app: cart, tier: web}') +
        pod('cart-2', '{app: cart}') +
        sidecar('by-app', '{app: cart}') +
        sidecar('by-tier', '{tier: web}'),
    );
    expect(
      findings.map(f => [f.code, f.istioCode, f.resource?.name, f.message]),
    ).toEqual([
      [
        'MS0206',
        'IST0110',
        'by-app',
        'The Sidecars by-app, by-tier in namespace shop select the same workload pod cart-1.',
      ],
      [
        'MS0206',
        'IST0110',
        'by-tier',
        'The Sidecars by-app, by-tier in namespace shop select the same workload pod cart-1.',
      ],
    ]);
  });

  it('flags a selector no pod or pod template of its namespace matches (IST0101)', () => {
    const findings = run(
      sidecarSelectorsAnalyzer,
      workload + sidecar('typo', '{app: kart}'),
    );
    expect(brief(findings)).toEqual([
      {
        code: 'MS0225',
        istioCode: 'IST0101',
        resource: 'Sidecar/shop/typo',
        path: '/spec/workloadSelector/labels',
        line: 14,
      },
    ]);
  });

  it('reports Sidecars selecting the same pod template (files without pods) without istioctl code', () => {
    const findings = run(
      sidecarSelectorsAnalyzer,
      workload +
        sidecar('by-app', '{app: cart}') +
        sidecar('by-tier', '{tier: web}'),
    );
    expect(brief(findings)).toEqual([
      {
        code: 'MS0206',
        istioCode: undefined,
        resource: 'Sidecar/shop/by-app',
        path: '/spec/workloadSelector/labels',
        line: 14,
      },
      {
        code: 'MS0206',
        istioCode: undefined,
        resource: 'Sidecar/shop/by-tier',
        path: '/spec/workloadSelector/labels',
        line: 22,
      },
    ]);
  });

  it('flags several namespace-wide Sidecars (IST0111)', () => {
    const findings = run(
      sidecarSelectorsAnalyzer,
      workload + sidecar('one') + sidecar('two'),
    );
    expect(
      findings.map(f => [f.code, f.istioCode, f.resource?.name, f.path]),
    ).toEqual([
      ['MS0207', 'IST0111', 'one', '/spec'],
      ['MS0207', 'IST0111', 'two', '/spec'],
    ]);
  });

  it('is quiet for disjoint selectors plus one namespace-wide Sidecar', () => {
    expect(
      run(
        sidecarSelectorsAnalyzer,
        `${workload}---\n${workload.replace(/cart/g, 'pay')}${pod(
          'other-ns',
          '{app: cart}',
        ).replace('shop', 'web')}${sidecar('by-app', '{app: cart}')}${sidecar(
          'other',
          '{app: pay}',
        )}${sidecar('default')}`,
      ),
    ).toEqual([]);
  });

  it('flags Sidecars of an ambient namespace or selecting an ambient pod as ineffective (IST0167)', () => {
    const ambientNs = `---
apiVersion: v1
kind: Namespace
metadata: {name: shop, labels: {istio.io/dataplane-mode: ambient}}
`;
    const ambientPod = `---
apiVersion: v1
kind: Pod
metadata:
  name: cart-1
  namespace: shop
  labels: {app: cart}
  annotations: {ambient.istio.io/redirection: enabled}
spec: {containers: [{name: app}]}
`;
    const findings = run(
      sidecarSelectorsAnalyzer,
      ambientNs +
        ambientPod +
        sidecar('one') +
        sidecar('two') +
        sidecar('by-app', '{app: cart}'),
    );
    // Two namespace-wide Sidecars of an ambient namespace are ineffective, not conflicting.
    expect(findings.map(f => [f.code, f.istioCode, f.resource?.name])).toEqual([
      ['MS0264', 'IST0167', 'one'],
      ['MS0264', 'IST0167', 'two'],
      ['MS0264', 'IST0167', 'by-app'],
    ]);
    // With sidecar injection beside the ambient label, the namespace is not in ambient mode.
    expect(
      run(
        sidecarSelectorsAnalyzer,
        ambientNs.replace('ambient}', 'ambient, istio-injection: enabled}') +
          workload +
          sidecar('one'),
      ),
    ).toEqual([]);
  });
});
