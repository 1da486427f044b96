import { meshConfigDoc } from './__testUtils__/meshConfig';
import { run } from './__testUtils__/run';
import { proxyImageMismatchAnalyzer } from './proxyImageMismatch';

const injector = (name: string, tag: string) => `---
apiVersion: v1
kind: ConfigMap
metadata: {name: ${name}, namespace: istio-system}
data:
  values: '{"global": {"hub": "docker.io/istio", "tag": "${tag}", "proxy": {"image": "proxyv2"}}}'
`;
const ns = (name: string, labels: string) => `---
apiVersion: v1
kind: Namespace
metadata: {name: ${name}, labels: ${labels}}
`;
const pod = (
  name: string,
  namespace: string,
  image: string,
  annotations = '{}',
) => `---
apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: ${namespace}, annotations: ${annotations}}
spec:
  containers: [{name: app, image: app}, {name: istio-proxy, image: "${image}"}]
`;

const findings = (yaml: string) =>
  run(proxyImageMismatchAnalyzer, yaml).map(f => [
    f.code,
    f.istioCode,
    f.resource?.name,
    f.message,
  ]);

describe('MS0246 pods running an old istio-proxy image (IST0158)', () => {
  it('flags a namespace whose pods run another image than its revision injects', () => {
    expect(
      findings(
        injector('istio-sidecar-injector', '1.30.3') +
          injector('istio-sidecar-injector-canary', '1.31.0') +
          ns('shop', '{istio-injection: enabled}') +
          ns('beta', '{istio.io/rev: canary}') +
          pod('cart-2', 'shop', 'docker.io/istio/proxyv2:1.29.0') +
          pod('cart-1', 'shop', 'docker.io/istio/proxyv2:1.29.0') +
          pod('web-1', 'beta', 'docker.io/istio/proxyv2:1.30.3'),
      ),
    ).toEqual([
      [
        'MS0246',
        'IST0158',
        'shop',
        'Pods of namespace "shop" run an istio-proxy image other than docker.io/istio/proxyv2:1.30.3, which its injector injects now (pods: cart-1, cart-2): restart them to get the current proxy.',
      ],
      [
        'MS0246',
        'IST0158',
        'beta',
        'Pods of namespace "beta" run an istio-proxy image other than docker.io/istio/proxyv2:1.31.0, which its injector injects now (pods: web-1): restart them to get the current proxy.',
      ],
    ]);
  });

  it('accepts the image variant the mesh config or the pod asks for, and pinned images', () => {
    const base =
      injector('istio-sidecar-injector', '1.30.3') +
      ns('shop', '{istio-injection: enabled}');
    const distroless = pod(
      'a',
      'shop',
      'docker.io/istio/proxyv2:1.30.3-distroless',
    );
    expect(findings(base + distroless).map(f => f[2])).toEqual(['shop']);
    expect(
      findings(
        base +
          distroless +
          meshConfigDoc('defaultConfig: {image: {imageType: distroless}}'),
      ),
    ).toEqual([]);
    expect(
      findings(
        base +
          pod(
            'b',
            'shop',
            'docker.io/istio/proxyv2:1.30.3-debug',
            '{proxy.istio.io/config: "image: {imageType: debug}"}',
          ) +
          pod(
            'c',
            'shop',
            'example.com/proxy:mine',
            '{sidecar.istio.io/proxyImage: example.com/proxy:mine}',
          ),
      ),
    ).toEqual([]);
  });

  it('is quiet without an injector ConfigMap or outside injected namespaces', () => {
    expect(
      findings(
        ns('shop', '{istio-injection: enabled}') + pod('a', 'shop', 'old'),
      ),
    ).toEqual([]);
    expect(
      findings(
        injector('istio-sidecar-injector', '1.30.3') +
          ns('shop', '{istio-injection: disabled}') +
          pod('a', 'shop', 'old'),
      ),
    ).toEqual([]);
  });
});
