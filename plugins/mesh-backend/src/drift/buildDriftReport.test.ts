import { buildDriftReport } from './buildDriftReport';

const ns = (name: string, rev: string) => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name, labels: { 'istio.io/rev': rev } },
});

describe('buildDriftReport', () => {
  it('marks deleted objects missing, edited ones modified, others in sync, sorted by ref', () => {
    const report = buildDriftReport({
      cluster: 'dev',
      mesh: 'istio',
      applied: [
        { object: ns('reviews', '1-24-2'), operationId: 'op2' },
        { object: ns('bookinfo', '1-24-2'), operationId: 'op1' },
        { object: ns('gone', '1-24-2'), operationId: 'op1' },
      ],
      live: new Map([
        ['Namespace/bookinfo', ns('bookinfo', '1-24-2')],
        ['Namespace/reviews', ns('reviews', '1-23-4')],
      ]),
      checkedAt: new Date('2026-11-25T12:00:00Z'),
    });
    expect(report.drifted).toBe(true);
    expect(report.checkedAt).toBe('2026-11-25T12:00:00.000Z');
    expect(
      report.objects.map(o => [o.ref.name, o.status, o.operationId]),
    ).toEqual([
      ['bookinfo', 'in-sync', 'op1'],
      ['gone', 'missing', 'op1'],
      ['reviews', 'modified', 'op2'],
    ]);
    expect(report.objects[2].differences).toEqual([
      {
        path: '/metadata/labels/istio.io~1rev',
        desired: '1-24-2',
        live: '1-23-4',
      },
    ]);
  });

  it('is not drifted when everything matches', () => {
    const report = buildDriftReport({
      cluster: 'dev',
      mesh: 'istio',
      applied: [{ object: ns('a', 'x'), operationId: 'op' }],
      live: new Map([['Namespace/a', ns('a', 'x')]]),
      checkedAt: new Date(),
    });
    expect(report.drifted).toBe(false);
  });
});
