import { parseChartIndex } from './ChartIndexCache';
import { compareSemver, parseSemver, satisfies } from './semver';
import {
  compareMeshVersions,
  sortMeshVersions,
  sourceServesVersion,
} from './versions';

describe('semver', () => {
  const v = (s: string) => parseSemver(s)!;
  it('orders releases after their pre-releases, numerically', () => {
    const sorted = [
      '1.30.0',
      '1.30.0-beta.1',
      '1.9.9',
      '1.30.0-alpha.10',
      '1.30.0-alpha.2',
      '1.29.10',
    ]
      .map(v)
      .sort(compareSemver)
      .map(x => x.raw);
    expect(sorted).toEqual([
      '1.9.9',
      '1.29.10',
      '1.30.0-alpha.2',
      '1.30.0-alpha.10',
      '1.30.0-beta.1',
      '1.30.0',
    ]);
  });
  it('checks ranges with x-ranges, alternatives and pre-release rules', () => {
    expect(satisfies(v('1.30.3'), '>=1.22.0 <2')).toBe(true);
    expect(satisfies(v('1.21.9'), '>=1.22.0 <2')).toBe(false);
    expect(satisfies(v('1.30.3'), '1.30.x')).toBe(true);
    expect(satisfies(v('1.31.0'), '1.30.x')).toBe(false);
    expect(satisfies(v('1.30.3'), '1.29 || 1.30')).toBe(true);
    expect(satisfies(v('1.30.3'), '*')).toBe(true);
    expect(satisfies(v('1.30.0-beta.1'), '>=1.22.0')).toBe(false);
    expect(satisfies(v('1.30.0-beta.1'), '>=1.30.0-alpha.0')).toBe(true);
    expect(satisfies(v('1.30.3'), '>= 1.30.0, < 1.31'.replace(',', ''))).toBe(
      true,
    );
    expect(parseSemver('edge')).toBeUndefined();
  });
});

describe('mesh versions', () => {
  it('orders Istio versions by semver, not as strings', () => {
    expect(sortMeshVersions(['1.30.3', '1.9.0', '1.29.6', '1.30.10'])).toEqual([
      '1.9.0',
      '1.29.6',
      '1.30.3',
      '1.30.10',
    ]);
  });
  it('orders Linkerd versions by channel, then numerically within it', () => {
    const channels = ['stable', 'edge'];
    expect(
      sortMeshVersions(
        [
          'edge-26.10.1',
          'stable-2.14.10',
          'edge-24.11.8',
          'edge-26.8.3',
          'stable-2.14.9',
          'edge-26.8.10',
        ],
        channels,
      ),
    ).toEqual([
      'stable-2.14.9',
      'stable-2.14.10',
      'edge-24.11.8',
      'edge-26.8.3',
      'edge-26.8.10',
      'edge-26.10.1',
    ]);
    expect(compareMeshVersions('edge-26.8.3', 'edge-26.8.3', channels)).toBe(0);
  });
  it('filters by channel and the range of the numeric part', () => {
    const edge = { channel: 'edge', versions: '>=24.11.0' };
    expect(sourceServesVersion(edge, 'edge-26.8.3')).toBe(true);
    expect(sourceServesVersion(edge, 'edge-24.5.1')).toBe(false);
    expect(sourceServesVersion(edge, 'stable-2.14.10')).toBe(false);
    expect(sourceServesVersion(edge, '26.8.3')).toBe(false);
    const istio = { versions: '>=1.22.0' };
    expect(sourceServesVersion(istio, '1.30.3')).toBe(true);
    expect(sourceServesVersion(istio, 'edge-26.8.3')).toBe(false);
    expect(sourceServesVersion(istio, '1.31.0-alpha.1')).toBe(false);
  });
});

describe('parseChartIndex', () => {
  it('keeps each entry’s version, appVersion, urls, digest and deprecation', () => {
    const index = parseChartIndex(
      [
        'apiVersion: v1',
        'entries:',
        '  linkerd-control-plane:',
        '    - version: 2026.8.3',
        '      appVersion: edge-26.8.3',
        '      urls: [linkerd-control-plane-2026.8.3.tgz]',
        '      digest: abc',
        '    - version: 1.16.11',
        '      appVersion: stable-2.14.10',
        '      deprecated: true',
        '      urls: [https://helm.linkerd.io/stable/linkerd-control-plane-1.16.11.tgz]',
        '  broken:',
        '    - name: no-version',
        'generated: "2026-01-01T00:00:00Z"',
      ].join('\n'),
      'https://helm.linkerd.io/edge',
      '2026-01-02T00:00:00.000Z',
    );
    expect(index.entries['linkerd-control-plane']).toEqual([
      {
        version: '2026.8.3',
        appVersion: 'edge-26.8.3',
        urls: ['linkerd-control-plane-2026.8.3.tgz'],
        digest: 'abc',
      },
      {
        version: '1.16.11',
        appVersion: 'stable-2.14.10',
        deprecated: true,
        urls: [
          'https://helm.linkerd.io/stable/linkerd-control-plane-1.16.11.tgz',
        ],
      },
    ]);
    expect(index.entries.broken).toEqual([]);
  });
  it('refuses a document that is not an index', () => {
    expect(() => parseChartIndex('<html>', 'https://x', 'now')).toThrow(
      /https:\/\/x\/index.yaml is not a Helm repository index/,
    );
  });
});
