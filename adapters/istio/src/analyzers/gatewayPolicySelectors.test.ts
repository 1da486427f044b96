import { run } from './__testUtils__/run';
import { gatewayPolicySelectorsAnalyzer } from './gatewayPolicySelectors';

const gatewayPod = `---
apiVersion: v1
kind: Pod
metadata:
  name: shop-gw-1
  namespace: shop
  labels: {gateway.networking.k8s.io/gateway-name: shop-gw, app: shop-gw}
spec: {containers: [{name: istio-proxy}]}
`;
const policy = (
  kind: string,
  apiVersion: string,
  name: string,
  spec: string,
) => `---
apiVersion: ${apiVersion}
kind: ${kind}
metadata: {name: ${name}, namespace: shop}
spec: ${spec}
`;

describe('MS0259 selector on a Kubernetes Gateway (IST0166)', () => {
  it('flags policies selecting a Gateway API gateway pod by selector', () => {
    expect(
      run(
        gatewayPolicySelectorsAnalyzer,
        gatewayPod +
          policy(
            'AuthorizationPolicy',
            'security.istio.io/v1',
            'ap',
            '{selector: {matchLabels: {app: shop-gw}}}',
          ) +
          policy(
            'WasmPlugin',
            'extensions.istio.io/v1alpha1',
            'wasm',
            '{selector: {matchLabels: {app: shop-gw}}, url: oci://x}',
          ),
      ).map(f => [f.code, f.istioCode, f.resource?.kind]),
    ).toEqual([
      ['MS0259', 'IST0166', 'AuthorizationPolicy'],
      ['MS0259', 'IST0166', 'WasmPlugin'],
    ]);
  });

  it('is quiet with targetRef, other pods, and policies without a selector', () => {
    expect(
      run(
        gatewayPolicySelectorsAnalyzer,
        `${gatewayPod}---
apiVersion: v1
kind: Pod
metadata: {name: cart-1, namespace: shop, labels: {app: cart}}
spec: {containers: [{name: app}]}
${policy(
  'RequestAuthentication',
  'security.istio.io/v1',
  'ra',
  '{selector: {matchLabels: {app: cart}}}',
)}${policy(
          'AuthorizationPolicy',
          'security.istio.io/v1',
          'ap',
          '{targetRef: {kind: Gateway, group: gateway.networking.k8s.io, name: shop-gw}, selector: {matchLabels: {app: shop-gw}}}',
        )}${policy(
          'Telemetry',
          'telemetry.istio.io/v1',
          'tel',
          '{tracing: [{randomSamplingPercentage: 1}]}',
        )}`,
      ),
    ).toEqual([]);
  });
});
