import type { Finding } from '@meshstage/plugin-mesh-common';
import { toSarif } from './sarif';
import { formatJson, formatText } from './text';

const findings: Finding[] = [
  {
    code: 'MS0201',
    severity: 'error',
    message: 'Referenced host not found: "x".',
    resource: {
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      namespace: 'shop',
      name: 'vs',
    },
    path: '/spec/http/0/route/0/destination/host',
    source: { file: 'dir with space/vs.yaml', line: 12, column: 9 },
    istioCode: 'IST0101',
  },
  {
    code: 'MS0102',
    severity: 'warning',
    message: 'Pod runs without proxy.',
    resource: { apiVersion: 'v1', kind: 'Pod', namespace: 'shop', name: 'p' },
    suppressed: true,
    suppressedBy: 'config',
  },
];

describe('outputs', () => {
  it('formats text with positions, codes and a summary', () => {
    expect(formatText(findings)).toBe(
      'dir with space/vs.yaml:12:9  error   MS0201 (IST0101)  VirtualService shop/vs: Referenced host not found: "x".\n' +
        '(cluster)  warning MS0102  Pod shop/p: Pod runs without proxy. [suppressed by config]\n' +
        '1 error(s), 0 warning(s), 0 info, 1 suppressed.\n',
    );
    expect(formatText([])).toBe('No problems found.\n');
  });

  it('formats JSON as one object with findings only', () => {
    expect(Object.keys(JSON.parse(formatJson(findings)))).toEqual(['findings']);
  });

  it('writes SARIF 2.1.0 rules, relative URIs, regions and suppressions', () => {
    const sarif = toSarif(findings, {
      codes: [
        {
          code: 'MS0201',
          name: 'VirtualServiceDestinationHostNotFound',
          severity: 'error',
          summary: 'S',
          help: 'H',
          istioCode: 'IST0101',
        },
      ],
    }) as any;
    const run = sarif.runs[0];
    expect(run.tool.driver.rules[1]).toMatchObject({
      id: 'MS0201',
      name: 'VirtualServiceDestinationHostNotFound',
      help: { text: expect.stringContaining('H ') },
      helpUri: expect.stringMatching(/#ms0201$/),
      properties: { istioCode: 'IST0101' },
    });
    expect(run.results[0].locations[0].physicalLocation).toEqual({
      artifactLocation: {
        uri: 'dir%20with%20space/vs.yaml',
        uriBaseId: '%SRCROOT%',
      },
      region: { startLine: 12, startColumn: 9 },
    });
    expect(run.results[0].ruleIndex).toBe(1);
    expect(run.results[1].locations[0].physicalLocation).toBeUndefined();
    expect(run.results[1].suppressions).toEqual([{ kind: 'external' }]);
  });
});
