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

describe('MS0206/MS0207 Sidecar selectors', () => {
  it('flags Sidecars whose selectors pick the same workload (IST0110)', () => {
    const findings = run(
      sidecarSelectorsAnalyzer,
      workload +
        sidecar('by-app', '{app: cart}') +
        sidecar('by-tier', '{tier: web}'),
    );
    expect(brief(findings)).toEqual([
      {
        code: 'MS0206',
        istioCode: 'IST0110',
        resource: 'Sidecar/shop/by-app',
        path: '/spec/workloadSelector/labels',
        line: 14,
      },
      {
        code: 'MS0206',
        istioCode: 'IST0110',
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
        workload +
          sidecar('by-app', '{app: cart}') +
          sidecar('other', '{app: pay}') +
          sidecar('default'),
      ),
    ).toEqual([]);
  });
});
