import { brief, run } from './__testUtils__/run';
import { clusterNetworksAnalyzer } from './clusterNetworks';

const config = (values: string) => `apiVersion: v1
kind: ConfigMap
metadata: {name: linkerd-config, namespace: linkerd}
data:
  values: ${values}
`;
const pod = (name: string, ip: string, hostNetwork = false) => `---
apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: shop}
spec: {hostNetwork: ${hostNetwork}, containers: [{name: app}]}
status: {podIP: ${ip}}
`;
const service = (name: string, ip: string) => `---
apiVersion: v1
kind: Service
metadata: {name: ${name}, namespace: shop}
spec: {clusterIP: ${ip}}
`;
const objects =
  pod('cart-1', '10.244.0.12') +
  pod('node-agent', '192.0.2.10', true) +
  pod('cart-2', '198.51.100.7') +
  service('cart', '10.96.0.20') +
  service('cart-headless', 'None') +
  service('legacy', '203.0.113.5');

describe('MS0326 clusterNetworks not covering the cluster', () => {
  it('flags pods and Services outside clusterNetworks, one finding each, on linkerd-config', () => {
    const findings = run(
      clusterNetworksAnalyzer,
      config(
        '"clusterNetworks: 10.0.0.0/8,fd00::/8\\nproxy:\\n  logLevel: info\\n"',
      ) + objects,
    );
    expect(brief(findings)).toEqual([
      {
        code: 'MS0326',
        resource: 'ConfigMap/linkerd/linkerd-config',
        path: '/data/values',
        line: 5,
      },
      {
        code: 'MS0326',
        resource: 'ConfigMap/linkerd/linkerd-config',
        path: '/data/values',
        line: 5,
      },
    ]);
    expect(findings.map(f => f.message)).toEqual([
      'clusterNetworks "10.0.0.0/8,fd00::/8" do not include 1 pod(s): shop/cart-2 (198.51.100.7).',
      'clusterNetworks "10.0.0.0/8,fd00::/8" do not include 1 Service(s): shop/legacy (203.0.113.5).',
    ]);
  });

  it('reads JSON values too, and reports an entry that is not a CIDR', () => {
    expect(
      run(
        clusterNetworksAnalyzer,
        config(`'{"clusterNetworks":"10.0.0.0/8,lan"}'`) + objects,
      ).map(f => f.message),
    ).toEqual(['clusterNetworks "10.0.0.0/8,lan" holds "lan", not a CIDR.']);
  });

  it('is quiet when clusterNetworks covers every pod and Service', () => {
    expect(
      run(
        clusterNetworksAnalyzer,
        config(
          '"clusterNetworks: 10.0.0.0/8,198.51.100.0/24,203.0.113.0/24\\n"',
        ) + objects,
      ),
    ).toEqual([]);
  });
});
