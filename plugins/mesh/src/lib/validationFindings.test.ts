import type {
  EntityFindings,
  ScanSummary,
  StoredFinding,
} from '@meshstage/plugin-mesh-common';
import {
  findingRows,
  fixedRows,
  groupFindings,
  openErrorCount,
  resourceLabel,
  scanTargets,
  validationOverview,
} from './validationFindings';

const scan = (cluster: string, finishedAt: string): ScanSummary => ({
  id: '0f6d2b8e-5a1c-4e3f-9b7d-1c4e6a8f0b2d',
  cluster,
  trigger: 'schedule',
  status: 'succeeded',
  startedAt: finishedAt,
  finishedAt,
  previousScanId: null,
  meshes: ['istio'],
  summary: { error: 0, warning: 0, info: 0, suppressed: 0 },
  new: 0,
  fixed: 0,
});

const f = (
  code: string,
  severity: StoredFinding['severity'],
  name: string,
  extra: Partial<StoredFinding> = {},
): StoredFinding => ({
  code,
  severity,
  message: `${code} on ${name}`,
  resource: {
    apiVersion: 'v1',
    kind: 'Service',
    namespace: 'shop',
    name,
  },
  path: '/spec/ports/0',
  fingerprint: `${code}-${name}`,
  new: false,
  ...extra,
});

const data: EntityFindings = {
  entityRef: 'component:default/cart',
  clusters: [
    {
      cluster: 'dev',
      scan: scan('dev', '2026-12-01T10:00:00.000Z'),
      findings: [
        f('MS0201', 'error', 'cart', { istioCode: 'IST0101' }),
        f('MS0105', 'info', 'cart'),
        f('MS0201', 'error', 'a-cart', { new: true }),
        f('MS0102', 'warning', 'cart', {
          suppressed: true,
          suppressedBy: 'annotation',
        }),
        f('MS0101', 'error', 'muted', { suppressed: true }),
      ],
      fixed: [
        {
          code: 'MS0107',
          severity: 'warning',
          message: 'gone',
          fingerprint: 'x',
        },
      ],
    },
    {
      cluster: 'prod',
      scan: scan('prod', '2026-12-01T11:00:00.000Z'),
      findings: [f('MS0201', 'error', 'cart')],
      fixed: [],
    },
    { cluster: 'staging', scan: null, findings: [] },
    {
      cluster: 'typo',
      scan: null,
      findings: [],
      error: "cluster 'typo' is not configured",
    },
  ],
  codes: [
    {
      code: 'MS0201',
      name: 'VirtualServiceHostNotFound',
      severity: 'error',
      summary: 'Host not found.',
      help: 'Fix the host.',
      istioCode: 'IST0101',
    },
  ],
};

describe('validationFindings', () => {
  it('groups open findings by severity then code, new ones first, with the fix', () => {
    const groups = groupFindings(findingRows(data), data.codes);
    expect(groups.map(g => [g.severity, g.count])).toEqual([
      ['error', 3],
      ['info', 1],
    ]);
    const [ms0201] = groups[0].codes;
    expect(ms0201).toMatchObject({
      code: 'MS0201',
      istioCode: 'IST0101',
      newCount: 1,
      doc: { help: 'Fix the host.' },
    });
    expect(
      ms0201.findings.map(r => `${r.cluster} ${r.resource?.name}`),
    ).toEqual(['dev a-cart', 'dev cart', 'prod cart']);
    expect(groups[1].codes[0].doc).toBeUndefined();
  });

  it('shows suppressed findings only on request', () => {
    const groups = groupFindings(findingRows(data), data.codes, {
      includeSuppressed: true,
    });
    expect(groups.map(g => [g.severity, g.codes.map(c => c.code)])).toEqual([
      ['error', ['MS0101', 'MS0201']],
      ['warning', ['MS0102']],
      ['info', ['MS0105']],
    ]);
  });

  it('gives every row a unique key, even for repeated fingerprints', () => {
    const twice: EntityFindings = {
      entityRef: 'x',
      clusters: [
        {
          cluster: 'dev',
          scan: scan('dev', '2026-12-01T10:00:00.000Z'),
          findings: [f('MS0105', 'info', 'a'), f('MS0105', 'info', 'a')],
        },
      ],
    };
    const keys = findingRows(twice).map(r => r.key);
    expect(new Set(keys).size).toBe(2);
  });

  it('summarises counts, scan state and cluster problems', () => {
    expect(validationOverview(data)).toEqual({
      state: 'findings',
      counts: {
        error: 3,
        warning: 0,
        info: 1,
        suppressed: 2,
        new: 1,
        fixed: 1,
      },
      scannedClusters: ['dev', 'prod'],
      unscannedClusters: ['staging'],
      lastScanAt: '2026-12-01T11:00:00.000Z',
      clusterErrors: [
        { cluster: 'typo', error: "cluster 'typo' is not configured" },
      ],
    });
    expect(fixedRows(data)).toEqual([
      expect.objectContaining({ code: 'MS0107', cluster: 'dev', key: 'dev|x' }),
    ]);
    expect(openErrorCount(data)).toBe(3);
  });

  it('tells "never scanned" from "all clear"', () => {
    const never: EntityFindings = {
      entityRef: 'x',
      clusters: [{ cluster: 'dev', scan: null, findings: [] }],
    };
    expect(validationOverview(never).state).toBe('no-scan');
    const clear: EntityFindings = {
      entityRef: 'x',
      clusters: [
        {
          cluster: 'dev',
          scan: scan('dev', '2026-12-01T10:00:00.000Z'),
          findings: [f('MS0105', 'info', 'a', { suppressed: true })],
        },
      ],
    };
    expect(validationOverview(clear)).toMatchObject({
      state: 'all-clear',
      counts: { suppressed: 1 },
      lastScanAt: '2026-12-01T10:00:00.000Z',
    });
  });

  it('scans the configured clusters only', () => {
    expect(scanTargets(data)).toEqual(['dev', 'prod', 'staging']);
  });

  it('labels resources', () => {
    expect(
      resourceLabel({ apiVersion: 'v1', kind: 'Namespace', name: 'shop' }),
    ).toBe('Namespace shop');
    expect(
      resourceLabel({
        apiVersion: 'v1',
        kind: 'Service',
        namespace: 'shop',
        name: 'cart',
      }),
    ).toBe('Service shop/cart');
    expect(resourceLabel(undefined)).toBe('-');
  });
});
