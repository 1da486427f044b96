import { brief, run } from './__testUtils__/run';
import { conflictingVirtualServiceHostsAnalyzer } from './conflictingVirtualServiceHosts';

function vs(name: string, ns: string, host: string, gateways?: string) {
  return `---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: ${name}, namespace: ${ns}}
spec:
  hosts:
    - ${host}
${gateways ? `  gateways: [${gateways}]\n` : ''}`;
}

describe('MS0205 conflicting VirtualService hosts', () => {
  it('flags both VirtualServices claiming one host on the mesh gateway, with IST0109', () => {
    const findings = run(
      conflictingVirtualServiceHostsAnalyzer,
      vs('a', 'shop', 'reviews', undefined) +
        vs('b', 'shop', 'reviews.shop.svc.cluster.local', 'mesh'),
    );
    expect(brief(findings)).toEqual([
      {
        code: 'MS0205',
        istioCode: 'IST0109',
        resource: 'VirtualService/shop/a',
        path: '/spec/hosts/0',
        line: 7,
      },
      {
        code: 'MS0205',
        istioCode: 'IST0109',
        resource: 'VirtualService/shop/b',
        path: '/spec/hosts/0',
        line: 14,
      },
    ]);
  });

  it('flags a host claimed twice on one ingress gateway, without an istio code', () => {
    const findings = run(
      conflictingVirtualServiceHostsAnalyzer,
      vs('a', 'shop', 'shop.example.com', 'istio-system/public') +
        vs('b', 'web', 'shop.example.com', 'istio-system/public'),
    );
    expect(findings.map(f => [f.code, f.istioCode, f.resource?.name])).toEqual([
      ['MS0205', undefined, 'a'],
      ['MS0205', undefined, 'b'],
    ]);
  });

  it('is quiet for one host on different gateways', () => {
    expect(
      run(
        conflictingVirtualServiceHostsAnalyzer,
        vs('a', 'shop', 'shop.example.com', 'istio-system/public') +
          vs('b', 'shop', 'shop.example.com', 'mesh'),
      ),
    ).toEqual([]);
  });

  it('meets exportTo scopes as istioctl does: a namespace scope conflicts with hosts exported everywhere', () => {
    const exported = (
      name: string,
      ns: string,
      host: string,
      exportTo: string,
    ) => `${vs(name, ns, host)}  exportTo: ${exportTo}\n`;
    const names = (yaml: string) =>
      run(conflictingVirtualServiceHostsAnalyzer, yaml).map(f => [
        f.istioCode,
        `${f.resource?.namespace}/${f.resource?.name}`,
      ]);
    expect(
      names(
        exported('local', 'foo', 'api.example.com', '["."]') +
          exported('wild', 'bar', '"*.example.com"', '["*"]'),
      ),
    ).toEqual([
      ['IST0109', 'foo/local'],
      ['IST0109', 'bar/wild'],
    ]);
    // Two namespace-local VirtualServices in different namespaces never meet.
    expect(
      names(
        exported('a', 'foo', 'api.example.com', '["."]') +
          exported('b', 'bar', 'api.example.com', '["."]'),
      ),
    ).toEqual([]);
  });
});
