import { parseCidr, parseCidrOrIp, rangeContains } from './cidr';
import { brief, run } from './__testUtils__/run';
import { networkRulesAnalyzer } from './networkRules';

const netAuthn = (networks: string) => `apiVersion: policy.linkerd.io/v1alpha1
kind: NetworkAuthentication
metadata: {name: lan, namespace: shop}
spec:
  networks: ${networks}
`;

describe('MS0319 networks Linkerd rejects', () => {
  it('parses addresses and CIDRs as Linkerd does', () => {
    expect(parseCidrOrIp('10.0.0.0/8')).toBeDefined();
    expect(parseCidrOrIp('10.1.2.3')).toBeDefined();
    expect(parseCidrOrIp('fd00::/8')).toBeDefined();
    expect(parseCidrOrIp('::ffff:10.0.0.1')).toBeDefined();
    for (const bad of [
      '10.0.0.0/33',
      '10.0.0',
      '010.0.0.1',
      'fd00::/129',
      'lan',
      '1:2:3:4:5:6:7:8:9',
    ])
      expect(parseCidrOrIp(bad)).toBeUndefined();
    expect(
      rangeContains(parseCidr('10.0.0.0/8')!, parseCidr('10.1.0.0/16')!),
    ).toBe(true);
    expect(
      rangeContains(parseCidr('10.1.0.0/16')!, parseCidr('10.0.0.0/8')!),
    ).toBe(false);
    expect(rangeContains(parseCidr('::/0')!, parseCidr('10.0.0.0/8')!)).toBe(
      false,
    );
  });

  it('flags no networks, bad CIDRs and exceptions outside or covering their network', () => {
    expect(brief(run(networkRulesAnalyzer, netAuthn('[]')))).toEqual([
      {
        code: 'MS0319',
        resource: 'NetworkAuthentication/shop/lan',
        path: '/spec/networks',
        line: 5,
      },
    ]);
    const findings = run(
      networkRulesAnalyzer,
      netAuthn(`
    - cidr: 10.0.0.0/33
    - cidr: 10.0.0.0/16
      except: [10.0.1.0/24, 10.1.0.0/24, 10.0.0.0/8]`),
    );
    expect(findings.map(f => [f.path, f.message])).toEqual([
      [
        '/spec/networks/0/cidr',
        'Linkerd rejects NetworkAuthentication "lan": not a valid CIDR or IP address: 10.0.0.0/33.',
      ],
      [
        '/spec/networks/1/except/1',
        "Linkerd rejects NetworkAuthentication \"lan\": cidr '10.0.0.0/16' does not include exception '10.1.0.0/24'.",
      ],
      [
        '/spec/networks/1/except/2',
        "Linkerd rejects NetworkAuthentication \"lan\": cidr '10.0.0.0/16' is completely negated by exception '10.0.0.0/8'.",
      ],
    ]);
  });

  it('checks ServerAuthorization client networks the same way, and accepts sound ones', () => {
    const sa = (except: string) => `apiVersion: policy.linkerd.io/v1beta1
kind: ServerAuthorization
metadata: {name: probes, namespace: shop}
spec:
  server: {name: cart-http}
  client:
    unauthenticated: true
    networks: [{cidr: 0.0.0.0/0, except: [${except}]}]
`;
    expect(
      run(networkRulesAnalyzer, sa('169.254.0.0/16')).map(f => f.path),
    ).toEqual([]);
    expect(run(networkRulesAnalyzer, sa('fd00::/8')).map(f => f.path)).toEqual([
      '/spec/client/networks/0/except/0',
    ]);
    expect(
      run(
        networkRulesAnalyzer,
        netAuthn('[{cidr: 192.168.0.1}, {cidr: "fd00::/8"}]'),
      ),
    ).toEqual([]);
  });
});
