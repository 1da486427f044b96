import {
  mergeManifests,
  parseManifests,
  readClusterSettings,
  runAnalysis,
} from '@meshstage/validation';
import { IstioAdapter } from '../IstioAdapter';
import { meshConfigDoc } from './__testUtils__/meshConfig';
import { brief, run } from './__testUtils__/run';
import { ISTIO_MESH_CONFIG } from './meshConfig';
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

describe("MS0221 with the parsed mesh config (--mesh-config, or the cluster's)", () => {
  const otelConfig = meshConfigDoc(
    'extensionProviders: [{name: otel-tracing, opentelemetry: {service: otel.observability.svc.cluster.local, port: 4317}}]',
  );
  const names = (yaml: string) =>
    run(telemetryProvidersAnalyzer, yaml).map(f => f.message);

  it('reads extensionProviders from a --mesh-config MeshConfig when no ConfigMap is among the files', () => {
    expect(names(telemetry('otel') + otelConfig)).toEqual([
      'Telemetry provider "otel" is not defined in the mesh config (defined: envoy, otel-tracing, prometheus, stackdriver).',
    ]);
    expect(names(telemetry('otel-tracing') + otelConfig)).toEqual([]);
  });

  it('lets --mesh-config win over an istio ConfigMap among the files, as istioctl does', () => {
    // The ConfigMap defines otel-tracing, the MeshConfig file does not.
    expect(
      names(meshConfig + telemetry('otel-tracing') + meshConfigDoc('{}')),
    ).toEqual([
      'Telemetry provider "otel-tracing" is not defined in the mesh config (defined: envoy, prometheus, stackdriver).',
    ]);
  });

  // A cluster with two revisions whose default tag points at "blue": the mesh config in effect is
  // istio-blue's, read in full by the engine; a provider only istio-green defines is not defined.
  const revision = (rev: string, provider: string) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: istio-${rev}
  namespace: istio-system
  labels: {istio.io/rev: ${rev}}
data:
  mesh: |
    extensionProviders:
      - name: ${provider}
        zipkin: {service: zipkin.tracing.svc.cluster.local, port: 9411}
---
`;
  const defaultTag = `apiVersion: admissionregistration.k8s.io/v1
kind: MutatingWebhookConfiguration
metadata:
  name: istio-revision-tag-default
  labels: {istio.io/tag: default, istio.io/rev: blue}
webhooks: []
---
`;
  const clusterRun = (yaml: string) => {
    const adapter = new IstioAdapter();
    const parsed = parseManifests('cluster.yaml', yaml);
    const settings = readClusterSettings(parsed.objects, [ISTIO_MESH_CONFIG]);
    return runAnalysis(mergeManifests([], [parsed, settings]), {
      analyzers: [telemetryProvidersAnalyzer],
      meshes: [{ id: adapter.id, injection: adapter.injection }],
      includesCluster: true,
    }).map(f => f.message);
  };

  it("reads the cluster's mesh config of the default revision", () => {
    const cluster =
      revision('blue', 'zipkin-blue') +
      revision('green', 'zipkin-green') +
      defaultTag;
    expect(clusterRun(cluster + telemetry('zipkin-blue'))).toEqual([]);
    expect(clusterRun(cluster + telemetry('zipkin-green'))).toEqual([
      'Telemetry provider "zipkin-green" is not defined in the mesh config (defined: envoy, prometheus, stackdriver, zipkin-blue).',
    ]);
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
