import { meshConfigDoc } from './__testUtils__/meshConfig';
import { brief, run } from './__testUtils__/run';
import { serviceEntryAddressesAnalyzer } from './serviceEntryAddresses';

const se = (name: string, ports: string, extra = '') => `---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: ${name}, namespace: shop}
spec:
  hosts: [${name}.example.com]
  ports: ${ports}
  resolution: DNS${extra}
`;

describe('MS0248 ServiceEntry addresses required (IST0134)', () => {
  it('flags a ServiceEntry with TCP or protocol-less ports and no addresses, once', () => {
    const findings = run(
      serviceEntryAddressesAnalyzer,
      se(
        'db',
        '[{number: 5432, name: pg, protocol: tcp}, {number: 5433, name: pg2}]',
      ),
    );
    expect(brief(findings).map(f => [f.code, f.istioCode, f.path])).toEqual([
      ['MS0248', 'IST0134', '/spec/ports/0'],
    ]);
    expect(findings[0].message).toBe(
      'ServiceEntry "db" has no addresses for its TCP ports 5432, 5433: set addresses, or let the mesh auto-allocate them.',
    );
  });

  it('is quiet with addresses, allocated addresses, other protocols, or auto-allocation in the mesh config', () => {
    const tcp = '[{number: 5432, name: pg, protocol: TCP}]';
    expect(
      run(
        serviceEntryAddressesAnalyzer,
        `${
          se('a', tcp, '\n  addresses: [240.0.0.1]') +
          se('b', '[{number: 443, name: https, protocol: HTTPS}]')
        }${se('c', tcp)}status:\n  addresses: [{value: 240.240.0.1}]\n`,
      ),
    ).toEqual([]);
    const metadata = (auto: string) =>
      meshConfigDoc(
        `defaultConfig: {proxyMetadata: {ISTIO_META_DNS_CAPTURE: "true", ${auto}: "true"}}`,
      );
    expect(
      run(
        serviceEntryAddressesAnalyzer,
        se('d', tcp) + metadata('ISTIO_META_DNS_AUTO_ALLOCATE'),
      ),
    ).toEqual([]);
    expect(
      run(
        serviceEntryAddressesAnalyzer,
        se('e', tcp) + metadata('PILOT_ENABLE_IP_AUTOALLOCATE'),
      ),
    ).toEqual([]);
    // Auto-allocation needs DNS capture too.
    expect(
      run(
        serviceEntryAddressesAnalyzer,
        se('f', tcp) +
          meshConfigDoc(
            'defaultConfig: {proxyMetadata: {ISTIO_META_DNS_AUTO_ALLOCATE: "true"}}',
          ),
      ).map(f => f.code),
    ).toEqual(['MS0248']);
  });
});
