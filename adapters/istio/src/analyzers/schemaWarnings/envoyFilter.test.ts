import { warnings } from '../__testUtils__/schemaWarnings';

const filter = (name: string, patches: string) => `---
apiVersion: networking.istio.io/v1alpha3
kind: EnvoyFilter
metadata: {name: ${name}, namespace: shop}
spec:
  workloadSelector: {labels: {app: api}}
  configPatches: ${patches}
`;
const EXPOSES = expect.stringContaining('EnvoyFilter exposes internal');

describe('MS0272 on EnvoyFilter config patches', () => {
  it('warns on deprecated filter names, filter matches under LISTENER, long proxyVersion matches', () => {
    expect(
      warnings(
        filter(
          'names',
          '[{applyTo: HTTP_FILTER, match: {listener: {filterChain: {filter: {name: envoy.http_connection_manager, subFilter: {name: envoy.router}}}}}, patch: {operation: INSERT_BEFORE, value: {name: my.filter}}}]',
        ) +
          filter(
            'listener',
            '[{applyTo: LISTENER, match: {listener: {filterChain: {filter: {name: envoy.filters.network.tcp_proxy}}}}, patch: {operation: MERGE, value: {per_connection_buffer_limit_bytes: 1024}}}]',
          ) +
          filter(
            'version',
            `[{applyTo: CLUSTER, match: {proxy: {proxyVersion: "${'1'.repeat(
              1025,
            )}"}}, patch: {operation: MERGE, value: {connect_timeout: 1s}}}]`,
          ),
      ),
    ).toEqual([
      ['names', '/spec', EXPOSES],
      [
        'names',
        '/spec/configPatches/0/match/listener/filterChain/filter/name',
        'using deprecated filter name "envoy.http_connection_manager"; use "envoy.filters.network.http_connection_manager" instead.',
      ],
      [
        'names',
        '/spec/configPatches/0/match/listener/filterChain/filter/subFilter/name',
        'using deprecated filter name "envoy.router"; use "envoy.filters.http.router" instead.',
      ],
      ['listener', '/spec', EXPOSES],
      [
        'listener',
        '/spec/configPatches/0/match/listener/filterChain/filter',
        'Envoy filter: filter match has no effect when used with LISTENER.',
      ],
      ['version', '/spec', EXPOSES],
      [
        'version',
        '/spec/configPatches/0/match/proxy/proxyVersion',
        'Envoy filter: proxyVersion match exceeds 1024 characters and will be ignored.',
      ],
    ]);
  });

  it('gives nothing more past a check Istio stops the patch at, or for canonical names', () => {
    expect(
      warnings(
        filter(
          'quiet',
          // canonical names; a subfilter under NETWORK_FILTER (an error); no patch value; WAYPOINT
          '[{applyTo: HTTP_FILTER, match: {listener: {filterChain: {filter: {name: envoy.filters.network.http_connection_manager, subFilter: {name: envoy.filters.http.router}}}}}, patch: {operation: INSERT_BEFORE, value: {name: x}}},' +
            ' {applyTo: NETWORK_FILTER, match: {listener: {filterChain: {filter: {name: envoy.http_connection_manager, subFilter: {name: envoy.router}}}}}, patch: {operation: MERGE, value: {name: x}}},' +
            ' {applyTo: LISTENER, match: {listener: {filterChain: {filter: {name: envoy.tcp_proxy}}}}, patch: {operation: MERGE}},' +
            ' {applyTo: LISTENER, match: {context: WAYPOINT, listener: {filterChain: {filter: {name: envoy.tcp_proxy}}}}, patch: {operation: MERGE, value: {name: x}}}]',
        ),
      ),
    ).toEqual([['quiet', '/spec', EXPOSES]]);
  });
});
