import { warnings } from '../__testUtils__/schemaWarnings';

const service = (name: string, spec: string) => `---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: ${name}, namespace: shop}
spec:
${spec}
`;

describe('MS0272 on VirtualServices', () => {
  it('warns on mirrorPercent, legacy gateway names, IP SNI hosts and large direct responses', () => {
    const big = 'x'.repeat(100 * 1024 + 1);
    expect(
      warnings(
        service(
          'mirror',
          '  hosts: [reviews]\n  http: [{route: [{destination: {host: reviews}}], mirror: {host: shadow}, mirrorPercent: 10}]',
        ) +
          service(
            'legacy',
            '  hosts: [reviews.example.com]\n  gateways: [public.istio-system, mesh]\n  http: [{route: [{destination: {host: reviews}}]}]',
          ) +
          service(
            'sni',
            '  hosts: [db.example.com]\n  gateways: [istio-system/public]\n  tls: [{match: [{port: 443, sniHosts: [10.0.0.1, db.example.com], gateways: [edge.istio-system]}], route: [{destination: {host: db}}]}]',
          ) +
          service(
            'large',
            `  hosts: [reviews]\n  http: [{directResponse: {status: 200, body: {string: "${big}"}}}]`,
          ),
      ),
    ).toEqual([
      [
        'mirror',
        '/spec/http/0/mirrorPercent',
        'using deprecated setting "mirrorPercent", use "mirrorPercentage" instead.',
      ],
      [
        'legacy',
        '/spec/gateways/0',
        'using legacy gatewayName format "public.istio-system"; prefer the <namespace>/<name> format: "istio-system/public".',
      ],
      [
        'sni',
        '/spec/tls/0/match/0/sniHosts/0',
        'using an IP address ("10.0.0.1") goes against SNI spec and most clients do not support this.',
      ],
      [
        'sni',
        '/spec/tls/0/match/0/gateways/0',
        'using legacy gatewayName format "edge.istio-system"; prefer the <namespace>/<name> format: "istio-system/edge".',
      ],
      [
        'large',
        '/spec/http/0/directResponse/body',
        'large direct_responses may impact control plane performance.',
      ],
    ]);
  });

  it('is quiet on the near misses and where Istio drops the warning', () => {
    expect(
      warnings(
        service(
          'a',
          '  hosts: [reviews]\n  http: [{route: [{destination: {host: reviews}}], mirror: {host: shadow}, mirrorPercentage: {value: 10}}]',
        ) +
          // an object is not a UInt32Value: Istio cannot read the resource
          service(
            'a2',
            '  hosts: [reviews]\n  http: [{route: [{destination: {host: reviews}}], mirror: {host: shadow}, mirrorPercent: {value: 10}}]',
          ) +
          // Istio stops at the first name without a slash: mesh
          service(
            'b',
            '  hosts: [reviews.example.com]\n  gateways: [mesh, public.istio-system]\n  http: [{route: [{destination: {host: reviews}}]}]',
          ) +
          // a fault abort without an error type, and legacy gateway names on HTTP matches: Istio
          // keeps only the errors of these
          service(
            'c',
            '  hosts: [reviews]\n  http: [{match: [{gateways: [public.istio-system]}], fault: {abort: {percentage: {value: 10}}}, route: [{destination: {host: reviews}}]}]',
          ) +
          // over 1MB is an error, not this warning
          service(
            'd',
            `  hosts: [reviews]\n  http: [{directResponse: {status: 200, body: {string: "${'x'.repeat(
              1024 * 1024 + 1,
            )}"}}}]`,
          ),
      ),
    ).toEqual([]);
  });
});
