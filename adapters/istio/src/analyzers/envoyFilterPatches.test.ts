import { run } from './__testUtils__/run';
import { envoyFilterPatchesAnalyzer } from './envoyFilterPatches';

const filter = (name: string, patches: string, priority = '') => `---
apiVersion: networking.istio.io/v1alpha3
kind: EnvoyFilter
metadata: {name: ${name}, namespace: shop}
spec:${priority}
  configPatches:
${patches}`;

const patch = (applyTo: string, operation: string, extra = '') =>
  `    - applyTo: ${applyTo}${extra}
      patch:
        operation: ${operation}
        value: {name: envoy.lua}
`;

const codes = (yaml: string) =>
  run(envoyFilterPatchesAnalyzer, yaml).map(f => [
    f.code,
    f.istioCode,
    f.resource?.name,
    f.path,
  ]);

describe('MS0238-MS0242 EnvoyFilter patch operations (IST0151-IST0155)', () => {
  it('flags ADD/REMOVE on routes, REPLACE off filters, and relative operations without a priority', () => {
    expect(
      codes(
        filter(
          'ef',
          patch('HTTP_ROUTE', 'ADD') +
            patch('ROUTE_CONFIGURATION', 'REMOVE') +
            patch('CLUSTER', 'REPLACE') +
            patch('HTTP_FILTER', 'INSERT_BEFORE') +
            patch('HTTP_FILTER', 'REMOVE'),
        ),
      ),
    ).toEqual([
      ['MS0240', 'IST0153', 'ef', '/spec/configPatches/0/patch/operation'],
      ['MS0241', 'IST0154', 'ef', '/spec/configPatches/1/patch/operation'],
      ['MS0239', 'IST0152', 'ef', '/spec/configPatches/2/patch/operation'],
      ['MS0238', 'IST0151', 'ef', '/spec/configPatches/3/patch/operation'],
    ]);
    // One finding per EnvoyFilter and code, naming each patch.
    expect(
      run(
        envoyFilterPatchesAnalyzer,
        filter(
          'ef',
          patch('HTTP_FILTER', 'INSERT_BEFORE') +
            patch('HTTP_FILTER', 'REMOVE'),
        ),
      )[0].message,
    ).toBe(
      'EnvoyFilter patches 0 (INSERT_BEFORE on HTTP_FILTER), 1 (REMOVE on HTTP_FILTER): a relative operation in an EnvoyFilter without a priority, which may not be applied. Use INSERT_FIRST or ADD, or set a priority.',
    );
  });

  it('reports a relative operation on a filter an earlier proxyVersion patch adds as IST0155', () => {
    const versioned = `
      match: {proxy: {proxyVersion: '^1\\.2.*'}}`;
    expect(
      codes(
        filter('first', patch('HTTP_FILTER', 'INSERT_AFTER', versioned)) +
          filter('second', patch('HTTP_FILTER', 'INSERT_AFTER')),
      ).map(c => c.slice(0, 3)),
    ).toEqual([
      ['MS0238', 'IST0151', 'first'],
      ['MS0242', 'IST0155', 'second'],
    ]);
  });

  it('is quiet with a priority, for ADD, MERGE and INSERT_FIRST, and after a patch without patch', () => {
    expect(
      codes(
        filter(
          'prioritized',
          patch('HTTP_FILTER', 'INSERT_BEFORE'),
          '\n  priority: 10',
        ) +
          filter(
            'absolute',
            `${
              patch('CLUSTER', 'ADD') +
              patch('HTTP_ROUTE', 'MERGE') +
              patch('HTTP_FILTER', 'INSERT_FIRST')
            }    - applyTo: HTTP_FILTER\n${patch('HTTP_ROUTE', 'ADD')}`,
          ),
      ),
    ).toEqual([]);
  });
});
