import { run } from './__testUtils__/run';
import { conflictingServiceEntryProtocolsAnalyzer } from './conflictingServiceEntryProtocols';

const se = (name: string, ns: string, protocol: string, exportTo = '') => `---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: ${name}, namespace: ${ns}}
spec:
  hosts: [api.example.com]
  ports: [{number: 443, name: p, protocol: ${protocol}}]${
  exportTo ? `\n  exportTo: ${exportTo}` : ''
}
`;

const reported = (yaml: string) =>
  run(conflictingServiceEntryProtocolsAnalyzer, yaml).map(f => [
    f.istioCode,
    `${f.resource?.namespace}/${f.resource?.name}`,
  ]);

describe('MS0249 conflicting ServiceEntry protocols (IST0177)', () => {
  it('flags each ServiceEntry of a host and port defined with two protocols', () => {
    expect(
      reported(se('http', 'shop', 'HTTP') + se('tls', 'shop', 'TLS')),
    ).toEqual([
      ['IST0177', 'shop/http'],
      ['IST0177', 'shop/tls'],
    ]);
    // A namespace-local one conflicts with one exported everywhere.
    expect(
      reported(
        se('local', 'shop', 'HTTP', '["."]') + se('global', 'web', 'TCP'),
      ),
    ).toEqual([
      ['IST0177', 'shop/local'],
      ['IST0177', 'web/global'],
    ]);
  });

  it('is quiet for the same protocol in any case, and for scopes that do not meet', () => {
    expect(reported(se('a', 'shop', 'HTTP') + se('b', 'web', 'http'))).toEqual(
      [],
    );
    expect(
      reported(
        se('a', 'shop', 'HTTP', '["."]') + se('b', 'web', 'TLS', '["."]'),
      ),
    ).toEqual([]);
  });
});
