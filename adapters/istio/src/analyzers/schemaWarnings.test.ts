import { brief, run } from './__testUtils__/run';
import { schemaWarningsAnalyzer } from './schemaWarnings';

const envoyFilter = (selector: string) => `---
apiVersion: networking.istio.io/v1alpha3
kind: EnvoyFilter
metadata: {name: lua, namespace: shop}
spec:
${selector}
  configPatches:
    - applyTo: HTTP_FILTER
      patch: {operation: INSERT_FIRST, value: {name: envoy.lua}}
`;
const sidecar = (spec: string) => `---
apiVersion: networking.istio.io/v1
kind: Sidecar
metadata: {name: scope, namespace: shop}
spec: ${spec}
`;
const serviceEntry = (spec: string) => `---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: vms, namespace: shop}
spec: ${spec}
`;

const found = (yaml: string) =>
  run(schemaWarningsAnalyzer, yaml).map(f => [
    f.istioCode,
    `${f.resource?.kind}/${f.resource?.name}`,
    f.message,
  ]);

describe('MS0272 schema warnings (IST0133)', () => {
  it('warns on every EnvoyFilter, at its spec', () => {
    const findings = run(
      schemaWarningsAnalyzer,
      envoyFilter('  workloadSelector: {labels: {app: cart}}'),
    );
    expect(brief(findings)).toEqual([
      {
        code: 'MS0272',
        istioCode: 'IST0133',
        resource: 'EnvoyFilter/shop/lua',
        path: '/spec',
        line: 5,
      },
    ]);
    expect(findings[0].message).toBe(
      'Schema validation warning: EnvoyFilter exposes internal implementation details that may change at any time. Prefer other APIs if possible, and exercise extreme caution, especially around upgrades.',
    );
  });

  it('warns on workload selectors without labels', () => {
    expect(
      found(
        envoyFilter('  workloadSelector: {}') +
          sidecar(
            '{workloadSelector: {labels: {}}, egress: [{hosts: ["./*"]}]}',
          ) +
          serviceEntry(
            '{hosts: [vm.shop], ports: [{number: 80, name: http, protocol: HTTP}], resolution: STATIC, workloadSelector: {}}',
          ),
      ),
    ).toEqual([
      [
        'IST0133',
        'EnvoyFilter/lua',
        expect.stringContaining('EnvoyFilter exposes internal'),
      ],
      [
        'IST0133',
        'EnvoyFilter/lua',
        'Schema validation warning: Envoy filter: workload selector specified without labels, will be applied to all services in namespace.',
      ],
      [
        'IST0133',
        'Sidecar/scope',
        'Schema validation warning: sidecar: workload selector specified without labels, will be applied to all services in namespace.',
      ],
      [
        'IST0133',
        'ServiceEntry/vms',
        'Schema validation warning: service entry: workload selector specified without labels, will be applied to all services in namespace.',
      ],
    ]);
  });

  it('warns on a ServiceEntry workloadSelector with resolution NONE, the default', () => {
    expect(
      found(
        serviceEntry(
          '{hosts: [vm.shop], ports: [{number: 80, name: http, protocol: HTTP}], workloadSelector: {labels: {app: vm}}}',
        ),
      ),
    ).toEqual([
      [
        'IST0133',
        'ServiceEntry/vms',
        'Schema validation warning: workloadSelector should not be set when resolution mode is NONE.',
      ],
    ]);
  });

  it('is quiet on labelled selectors, resolutions other than NONE, and where Istio returns an error alone', () => {
    expect(
      found(
        sidecar(
          '{workloadSelector: {labels: {app: cart}}, egress: [{hosts: ["./*"]}]}',
        ) +
          // an empty Sidecar is an error, its warnings dropped
          sidecar('{workloadSelector: {}}').replace('scope', 'empty') +
          serviceEntry(
            '{hosts: [vm.shop], ports: [{number: 80, name: http, protocol: HTTP}], resolution: STATIC, workloadSelector: {labels: {app: vm}}}',
          ) +
          // a wildcard in a selector is an error, its warnings dropped
          envoyFilter('  workloadSelector: {labels: {app: "*"}}'),
      ),
    ).toEqual([]);
  });
});
