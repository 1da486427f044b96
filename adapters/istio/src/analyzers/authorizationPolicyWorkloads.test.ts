import { meshConfigDoc } from './__testUtils__/meshConfig';
import { run } from './__testUtils__/run';
import { authorizationPolicyWorkloadsAnalyzer } from './authorizationPolicyWorkloads';

const ns = `---
apiVersion: v1
kind: Namespace
metadata: {name: shop, labels: {istio-injection: enabled}}
`;
const pod = (name: string, namespace: string, labels: string) => `---
apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: ${namespace}, labels: ${labels}}
spec: {containers: [{name: app}]}
`;
const policy = (name: string, namespace: string, selector?: string) => `---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: ${name}, namespace: ${namespace}}
spec:${selector ? `\n  selector: {matchLabels: ${selector}}` : ''}
  action: ALLOW
`;

const reported = (yaml: string) =>
  run(authorizationPolicyWorkloadsAnalyzer, yaml).map(f => [
    f.istioCode,
    `${f.resource?.namespace}/${f.resource?.name}`,
  ]);

describe('MS0232 AuthorizationPolicy matching no Pod of the mesh (IST0127)', () => {
  it('flags selectors matching no Pod, namespace-wide policies of empty namespaces, and mesh-wide selectors', () => {
    expect(
      reported(
        ns +
          pod('cart-1', 'shop', '{app: cart}') +
          policy('typo', 'shop', '{app: kart}') +
          policy('nobody-home', 'empty') +
          policy('mesh-wide', 'istio-system', '{app: nowhere}'),
      ),
    ).toEqual([
      ['IST0127', 'shop/typo'],
      ['IST0127', 'empty/nobody-home'],
      ['IST0127', 'istio-system/mesh-wide'],
    ]);
  });

  it('counts only Pods in the mesh, and says so when the files have no Pod at all', () => {
    const outOfMesh = pod('cart-1', 'other', '{app: cart}');
    expect(reported(outOfMesh + policy('p', 'other', '{app: cart}'))).toEqual([
      ['IST0127', 'other/p'],
    ]);
    const [finding] = run(
      authorizationPolicyWorkloadsAnalyzer,
      policy('p', 'shop', '{app: cart}'),
    );
    expect(finding.message).toBe(
      'AuthorizationPolicy "p" matches no Pod of the mesh with labels app=cart (no Pod is among the analyzed objects; istioctl matches policies against Pods only).',
    );
  });

  it('is quiet for matching Pods, mesh-wide policies without selector, and the configured root namespace', () => {
    const pods = ns + pod('cart-1', 'shop', '{app: cart}');
    expect(
      reported(
        pods +
          policy('cart', 'shop', '{app: cart}') +
          policy('namespace-wide', 'shop') +
          policy('deny-all', 'istio-system') +
          policy('root-cart', 'istio-system', '{app: cart}'),
      ),
    ).toEqual([]);
    expect(
      reported(
        pods +
          policy('root-cart', 'mesh-root', '{app: cart}') +
          meshConfigDoc('rootNamespace: mesh-root'),
      ),
    ).toEqual([]);
  });
});
