import { createSnapshot } from '@meshstage/plugin-mesh-node';
import { meshConfigDoc } from './__testUtils__/meshConfig';
import { run } from './__testUtils__/run';
import {
  ISTIO_MESH_CONFIG,
  ISTIO_MESH_NETWORKS,
  meshConfigOf,
  topLevelScalars,
} from './meshConfig';
import { selectorNoWorkloadAnalyzer } from './selectorNoWorkload';

describe('ISTIO_MESH_CONFIG.check (what Istio rejects in --mesh-config)', () => {
  const check = (value: unknown) => ISTIO_MESH_CONFIG.check(value);

  it('accepts both spellings of a field, as protobuf JSON does', () => {
    expect(
      check({
        rootNamespace: 'mesh',
        ingress_controller_mode: 'OFF',
        defaultConfig: {
          proxy_metadata: { ISTIO_META_DNS_CAPTURE: 'true' },
          image: { imageType: 'distroless' },
        },
        connectTimeout: '1m30s',
        proxyListenPort: '15001',
        extensionProviders: [{ name: 'otel', opentelemetry: { port: 4317 } }],
      }),
    ).toEqual({ errors: [], warnings: [] });
  });

  it('rejects wrong types, unknown enum values, out-of-range values and two oneof members', () => {
    const first = (value: unknown) => check(value).errors[0];
    expect(first({ ingressControllerMode: 'OF' })).toEqual({
      path: '/ingressControllerMode',
      message: 'must be one of UNSPECIFIED, OFF, DEFAULT, STRICT, not "OF"',
    });
    expect(first({ defaultConfig: { proxyMetadata: { A: true } } })).toEqual({
      path: '/defaultConfig/proxyMetadata/A',
      message: 'must be a string, not true',
    });
    expect(first({ connectTimeout: '10 seconds' })?.path).toBe(
      '/connectTimeout',
    );
    expect(first({ connectTimeout: '2h' })).toEqual({
      path: '/connectTimeout',
      message: 'must be between 1ms and 1h',
    });
    expect(first({ proxyListenPort: 70000 })?.path).toBe('/proxyListenPort');
    expect(
      first({ extensionProviders: [{ name: 'x', zipkin: {}, datadog: {} }] })
        ?.path,
    ).toBe('/extensionProviders/0/datadog');
  });

  it('warns about unknown fields instead of rejecting them (Istio ignores them)', () => {
    expect(check({ rootNamespce: 'x', defaultConfig: { foo: 1 } })).toEqual({
      errors: [],
      warnings: [
        { path: '/rootNamespce', message: 'unknown field' },
        { path: '/defaultConfig/foo', message: 'unknown field' },
      ],
    });
  });
});

describe('ISTIO_MESH_NETWORKS.check', () => {
  it('accepts registries, CIDRs and gateways, and rejects what Istio rejects', () => {
    const ok = {
      networks: {
        n1: {
          endpoints: [
            { fromRegistry: 'Kubernetes' },
            { from_cidr: '10.0.0.0/8' },
          ],
          gateways: [
            {
              registry_service_name: 'gw.istio-system.svc.cluster.local',
              port: 443,
            },
          ],
        },
      },
    };
    // A registry name is a DNS label: `Kubernetes` is not one, as in Istio.
    expect(ISTIO_MESH_NETWORKS.check(ok).errors).toEqual([
      {
        path: '/networks/n1/endpoints/0/fromRegistry',
        message: 'invalid registry name "Kubernetes"',
      },
    ]);
    ok.networks.n1.endpoints[0].fromRegistry = 'kubernetes';
    expect(ISTIO_MESH_NETWORKS.check(ok)).toEqual({ errors: [], warnings: [] });
    expect(
      ISTIO_MESH_NETWORKS.check({
        networks: { n1: { gateways: [{ address: '1.2.3.4', port: 0 }] } },
      }).errors,
    ).toEqual([
      {
        path: '/networks/n1/gateways/0/port',
        message: 'must be a port in 1..65535',
      },
    ]);
  });
});

describe('meshConfigOf', () => {
  const objects = (yaml: Record<string, unknown>[]) =>
    createSnapshot(yaml as any);
  const configMap = (mesh: string) => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'istio', namespace: 'istio-system' },
    data: { mesh },
  });
  const meshConfig = (spec: Record<string, unknown>) => ({
    apiVersion: 'mesh.istio.io/v1alpha1',
    kind: 'MeshConfig',
    metadata: { name: 'meshconfig', namespace: 'istio-system' },
    spec,
  });

  it("is Istio's defaults without a mesh config", () => {
    expect(meshConfigOf(objects([]))).toMatchObject({
      rootNamespace: 'istio-system',
      ingressControllerMode: 'STRICT',
      ingressService: 'istio-ingressgateway',
      proxyMetadata: {},
    });
  });

  it('reads the MeshConfig object before the istio ConfigMap', () => {
    const cm = configMap('rootNamespace: from-configmap\n');
    expect(meshConfigOf(objects([cm])).rootNamespace).toBe('from-configmap');
    expect(
      meshConfigOf(
        objects([
          cm,
          meshConfig({
            root_namespace: 'from-file',
            defaultConfig: { proxyMetadata: { A: 'b' } },
          }),
        ]),
      ),
    ).toMatchObject({ rootNamespace: 'from-file', proxyMetadata: { A: 'b' } });
  });

  it("reads a ConfigMap's top-level scalars", () => {
    expect(
      topLevelScalars(
        'rootNamespace: "root" # the root\ningressService: gw\ndefaultConfig:\n  discoveryAddress: x:1\n',
      ),
    ).toEqual({ rootNamespace: 'root', ingressService: 'gw' });
  });
});

describe('mesh config in analyzers', () => {
  const gateway = `---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: gw, namespace: shop}
spec:
  selector: {istio: ingressgateway}
`;

  it('assumes the default ingress gateway unless ingressControllerMode is OFF', () => {
    expect(run(selectorNoWorkloadAnalyzer, gateway)).toEqual([]);
    expect(
      run(
        selectorNoWorkloadAnalyzer,
        gateway + meshConfigDoc('ingressControllerMode: OFF'),
      ).map(f => [f.istioCode, f.resource?.name]),
    ).toEqual([['IST0101', 'gw']]);
  });

  it('takes mesh-wide policies from the configured root namespace', () => {
    const yaml = `---
apiVersion: apps/v1
kind: Deployment
metadata: {name: cart, namespace: shop}
spec:
  template:
    metadata: {labels: {app: cart}}
    spec: {containers: [{name: app}]}
---
apiVersion: security.istio.io/v1
kind: RequestAuthentication
metadata: {name: cart-wide, namespace: mesh-root}
spec:
  selector: {matchLabels: {app: cart}}
`;
    // In a namespace of its own it selects nothing there; as the root namespace, every namespace.
    expect(run(selectorNoWorkloadAnalyzer, yaml).map(f => f.code)).toEqual([
      'MS0209',
    ]);
    expect(
      run(
        selectorNoWorkloadAnalyzer,
        yaml + meshConfigDoc('rootNamespace: mesh-root'),
      ),
    ).toEqual([]);
  });
});
