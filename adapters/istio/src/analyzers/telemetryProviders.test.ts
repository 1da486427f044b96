import { brief, run } from './__testUtils__/run';
import {
  meshConfigProviders,
  telemetryProvidersAnalyzer,
} from './telemetryProviders';

const meshConfig = `apiVersion: v1
kind: ConfigMap
metadata: {name: istio, namespace: istio-system}
data:
  mesh: |
    defaultConfig:
      discoveryAddress: istiod.istio-system.svc:15012
    extensionProviders:
      - name: otel-tracing
        opentelemetry:
          service: otel-collector.observability.svc.cluster.local
          port: 4317
      - name: access-log-json
        envoyFileAccessLog:
          path: /dev/stdout
    defaultProviders:
      metrics: [prometheus]
---
`;
const telemetry = (tracing: string) => `apiVersion: telemetry.istio.io/v1
kind: Telemetry
metadata: {name: mesh-default, namespace: istio-system}
spec:
  tracing:
    - providers:
        - name: ${tracing}
  accessLogging:
    - providers:
        - name: envoy
`;

describe('MS0221 Telemetry provider not defined in the mesh config', () => {
  it('flags a provider the mesh config does not define', () => {
    expect(
      brief(run(telemetryProvidersAnalyzer, meshConfig + telemetry('otel'))),
    ).toEqual([
      {
        code: 'MS0221',
        istioCode: undefined,
        resource: 'Telemetry/istio-system/mesh-default',
        path: '/spec/tracing/0/providers/0/name',
        line: 25,
      },
    ]);
  });

  it('accepts defined and built-in providers, and concludes nothing without a mesh config', () => {
    expect(
      run(telemetryProvidersAnalyzer, meshConfig + telemetry('otel-tracing')),
    ).toEqual([]);
    expect(run(telemetryProvidersAnalyzer, telemetry('otel'))).toEqual([]);
  });
});

describe('meshConfigProviders', () => {
  it('reads block and flow lists, not nested names', () => {
    expect(
      meshConfigProviders(`extensionProviders:
- name: a
  envoyExtAuthzHttp:
    service: authz
    headersToUpstreamOnAllow:
      - name: not-a-provider
-   name: "b"
other: 1
`),
    ).toEqual(['a', 'b']);
    expect(
      meshConfigProviders(
        'extensionProviders: [{name: x, zipkin: {service: z, port: 9411}},\n  {"name": "y"}]\n',
      ),
    ).toEqual(['x', 'y']);
    expect(meshConfigProviders('defaultConfig: {}\n')).toEqual([]);
  });
});
