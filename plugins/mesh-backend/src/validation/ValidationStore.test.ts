import type { Finding } from '@meshstage/plugin-mesh-common';
import { migrateMeshDatabase } from '../database';
import { meshTestDatabases } from '../database/__testUtils__/testDatabases';
import { compareScans } from './compareScans';
import { summarizeFindings } from './summarize';
import { type NewScan, ValidationStore } from './ValidationStore';

function finding(
  code: string,
  name: string,
  severity: Finding['severity'] = 'error',
  extra: Partial<Finding> = {},
): Finding {
  return {
    code,
    severity,
    message: `${code} on ${name}`,
    resource: {
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      namespace: 'shop',
      name,
    },
    path: '/spec/hosts/0',
    ...extra,
  };
}

let clock = 0;
function scanOf(
  cluster: string,
  findings: Finding[],
  previous:
    | { id: string; findings: Array<{ fingerprint: string; finding: Finding }> }
    | undefined,
): NewScan {
  const comparison = compareScans(findings, previous?.findings);
  clock += 1000;
  return {
    cluster,
    trigger: 'schedule',
    status: 'succeeded',
    startedAt: new Date(clock).toISOString(),
    finishedAt: new Date(clock + 500).toISOString(),
    previousScanId: previous?.id ?? null,
    meshes: ['istio', 'linkerd'],
    summary: summarizeFindings(findings),
    findings: comparison.findings,
    fixed: comparison.fixed,
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

// Databases (PostgreSQL too) are set up per test: jest's 5 s default is too tight on a busy machine.
jest.setTimeout(60_000);

describe('ValidationStore', () => {
  const databases = meshTestDatabases();

  it.each(databases.eachSupportedId())(
    'stores scans with new and fixed findings, filters and prunes on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await migrateMeshDatabase(knex);
      const store = new ValidationStore(knex, 3);

      const a = finding('MS0201', 'ratings');
      const b = finding('MS0203', 'reviews', 'warning', {
        suppressed: true,
        suppressedBy: 'config',
      });
      const first = await store.recordScan(scanOf('dev', [a, b], undefined));
      expect(first).toMatchObject({
        id: expect.stringMatching(UUID),
        cluster: 'dev',
        status: 'succeeded',
        previousScanId: null,
        meshes: ['istio', 'linkerd'],
        summary: { error: 1, warning: 0, info: 0, suppressed: 1 },
        new: 0,
        fixed: 0,
      });
      const firstFindings = await store.scanFindings(first.id);
      expect(firstFindings).toEqual([
        { ...a, fingerprint: expect.any(String), new: false },
        { ...b, fingerprint: expect.any(String), new: false },
      ]);

      // b is fixed; c is new; a's message changed but it is the same finding.
      const c = finding('MS0211', 'productpage', 'info');
      const aReworded = { ...a, message: 'worded differently' };
      const second = await store.recordScan(
        scanOf('dev', [aReworded, c], {
          id: first.id,
          findings: firstFindings.map(({ fingerprint, new: _n, ...f }) => ({
            fingerprint,
            finding: f,
          })),
        }),
      );
      expect(second).toMatchObject({
        previousScanId: first.id,
        new: 1,
        fixed: 1,
      });
      expect(
        (await store.scanFindings(second.id)).map(f => [f.code, f.new]),
      ).toEqual([
        ['MS0201', false],
        ['MS0211', true],
      ]);
      expect(await store.fixedFindings(second.id)).toEqual([
        { ...b, fingerprint: firstFindings[1].fingerprint },
      ]);
      expect(
        (await store.scanFindings(second.id, { severity: 'info' })).map(
          f => f.code,
        ),
      ).toEqual(['MS0211']);

      // A failed scan is history, not a baseline.
      const failed = await store.recordScan({
        ...scanOf('dev', [], undefined),
        status: 'failed',
        error: 'connection refused',
      });
      expect((await store.latestScan('dev'))?.id).toBe(failed.id);
      expect((await store.latestScan('dev', 'succeeded'))?.id).toBe(second.id);
      await store.recordScan(scanOf('other', [a], undefined));

      // keepScans 3 per cluster: three more failures push out the oldest scans of 'dev', but
      // the latest succeeded scan stays as the next scan's baseline.
      const failures: string[] = [];
      for (let i = 0; i < 3; i++) {
        const down = await store.recordScan({
          ...scanOf('dev', [], undefined),
          status: 'failed',
          error: `down ${i}`,
        });
        failures.push(down.id);
      }
      const devScans = await store.listScans({ cluster: 'dev', limit: 100 });
      expect(devScans.map(s => s.status)).toEqual([
        'failed',
        'failed',
        'failed',
        'succeeded',
      ]);
      // Newest first, in the order they were recorded (random UUIDs have no order).
      expect(devScans.map(s => s.id)).toEqual([
        ...failures.reverse(),
        second.id,
      ]);
      expect(await store.getScan(first.id)).toBeUndefined();
      expect(await store.scanFindings(first.id)).toEqual([]);
      expect(await store.getScan(failed.id)).toBeUndefined();
      expect((await store.listScans({ limit: 2 })).map(s => s.cluster)).toEqual(
        ['dev', 'dev'],
      );
      expect(
        (await store.listScans({ cluster: 'other', limit: 5 })).length,
      ).toBe(1);
    },
  );
});
