import fs from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import { ValidationStore } from '../validation/ValidationStore';
import { meshTestDatabases } from './__testUtils__/testDatabases';

// The migration that gives validation scans UUID ids, on a database holding scans stored with
// integer ids: nothing is lost, every reference follows, and the order stays what it was.

const directory = path.resolve(__dirname, '../../migrations');
const MIGRATION = '202611251800_validation_scan_uuids.js';
const before = fs
  .readdirSync(directory)
  .filter(f => f.endsWith('.js') && f < MIGRATION)
  .sort();

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface OldScan {
  id: number;
  cluster: string;
  status: 'succeeded' | 'failed';
  previous: number | null;
  /** Unique per scan, and deliberately not in id order: the order must not come from it. */
  startedAt: string;
  findings: number;
}

/**
 * Twelve scans of two clusters, ids 41 to 52 (1 to 40 were pruned): each cluster's succeeded
 * scans form a chain through `previous_scan_id`, the first 'prod' scan still names the pruned
 * scan 40, and some scans failed.
 */
function oldScans(): OldScan[] {
  const scans: OldScan[] = [];
  const lastSucceeded = new Map<string, number>([['prod', 40]]);
  for (let i = 0; i < 12; i++) {
    const id = 41 + i;
    const cluster = i % 3 === 1 ? 'prod' : 'dev';
    const status = i % 4 === 3 ? 'failed' : 'succeeded';
    scans.push({
      id,
      cluster,
      status,
      previous:
        status === 'succeeded' ? lastSucceeded.get(cluster) ?? null : null,
      startedAt: new Date(
        Date.UTC(2026, 10, 20, 10, (i * 5) % 12),
      ).toISOString(),
      findings: status === 'succeeded' ? 1 + (i % 3) : 0,
    });
    if (status === 'succeeded') lastSucceeded.set(cluster, id);
  }
  return scans;
}

async function insertOldScans(knex: Knex, scans: OldScan[]) {
  for (const s of scans) {
    await knex('mesh_validation_scans').insert({
      id: s.id,
      cluster: s.cluster,
      trigger: 'schedule',
      started_at: s.startedAt,
      finished_at: s.startedAt,
      status: s.status,
      error: s.status === 'failed' ? `cluster ${s.cluster} unreachable` : null,
      previous_scan_id: s.previous,
      error_count: s.findings,
      fixed: JSON.stringify(
        s.previous
          ? [{ code: 'MS0201', message: `fixed since ${s.previous}` }]
          : [],
      ),
      meshes: JSON.stringify(['istio']),
    });
    for (let k = 0; k < s.findings; k++) {
      await knex('mesh_validation_findings').insert({
        scan_id: s.id,
        fingerprint: `fp-${s.id}-${k}`,
        code: 'MS0201',
        severity: 'error',
        suppressed: false,
        is_new: k > 0,
        namespace: 'shop',
        finding: JSON.stringify({
          code: 'MS0201',
          severity: 'error',
          message: `finding ${k} of scan ${s.id}`,
        }),
      });
    }
  }
}

/** The names of a table's indexes, on SQLite or PostgreSQL. */
async function indexNames(knex: Knex, table: string): Promise<string[]> {
  if (knex.client.dialect === 'postgresql') {
    const { rows } = await knex.raw(
      'SELECT indexname AS name FROM pg_indexes WHERE tablename = ?',
      [table],
    );
    return rows.map((r: { name: string }) => r.name).sort();
  }
  const rows = await knex.raw(`PRAGMA index_list(??)`, [table]);
  return rows
    .map((r: { name: string }) => r.name)
    .filter((n: string) => !n.startsWith('sqlite_autoindex'))
    .sort();
}

// Databases (PostgreSQL too) are set up per test: jest's 5 s default is too tight on a busy machine.
jest.setTimeout(60_000);

describe(`migration ${MIGRATION}`, () => {
  const databases = meshTestDatabases();

  it.each(databases.eachSupportedId())(
    'gives stored scans UUIDs with their findings, references and order on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      for (const name of before) {
        await knex.migrate.up({ directory, name });
      }
      const scans = oldScans();
      await insertOldScans(knex, scans);
      const findingsBefore = await knex('mesh_validation_findings')
        .select('scan_id', 'fingerprint', 'finding')
        .orderBy('id');

      const [, applied] = await knex.migrate.up({ directory });
      expect(applied).toEqual([MIGRATION]);

      // Every scan is there, with a UUID of its own; started_at tells them apart.
      const rows = await knex('mesh_validation_scans').select('*');
      expect(rows).toHaveLength(scans.length);
      const newId = new Map<number, string>();
      for (const s of scans) {
        const row = rows.find(r => r.started_at === s.startedAt);
        expect(row).toMatchObject({
          id: expect.stringMatching(UUID),
          cluster: s.cluster,
          status: s.status,
        });
        newId.set(s.id, row.id);
      }
      expect(new Set(newId.values()).size).toBe(scans.length);

      // References follow: the chain of each cluster, and the pruned scan 40 named by the first
      // 'prod' scan keeps a UUID (of a scan that is gone, as 40 was).
      const previousOf = (s: OldScan) =>
        rows.find(r => r.id === newId.get(s.id)).previous_scan_id;
      const pruned = previousOf(scans.find(s => s.previous === 40)!);
      expect(pruned).toMatch(UUID);
      expect([...newId.values()]).not.toContain(pruned);
      expect(scans.map(previousOf)).toEqual(
        scans.map(s => {
          if (s.previous === 40) return pruned;
          return s.previous === null ? null : newId.get(s.previous);
        }),
      );
      // Every finding, in its order, now on its scan's UUID.
      const findingsAfter = await knex('mesh_validation_findings')
        .select('scan_id', 'fingerprint', 'finding')
        .orderBy('id');
      expect(findingsAfter).toEqual(
        findingsBefore.map(f => ({
          ...f,
          scan_id: newId.get(Number(f.scan_id)),
        })),
      );

      // The store reads them, in the order the integer ids gave.
      const store = new ValidationStore(knex, 50);
      const byOldId = (ids: number[]) => ids.map(id => newId.get(id));
      const oldOrder = (filter: (s: OldScan) => boolean) =>
        scans
          .filter(filter)
          .map(s => s.id)
          .reverse();
      expect((await store.listScans({ limit: 500 })).map(s => s.id)).toEqual(
        byOldId(oldOrder(() => true)),
      );
      expect((await store.listScans({ limit: 3 })).map(s => s.id)).toEqual(
        byOldId(oldOrder(() => true).slice(0, 3)),
      );
      for (const cluster of ['dev', 'prod']) {
        const ofCluster = oldOrder(s => s.cluster === cluster);
        expect(
          (await store.listScans({ cluster, limit: 500 })).map(s => s.id),
        ).toEqual(byOldId(ofCluster));
        expect((await store.latestScan(cluster))?.id).toBe(
          newId.get(ofCluster[0]),
        );
        const succeeded = oldOrder(
          s => s.cluster === cluster && s.status === 'succeeded',
        );
        expect((await store.latestScan(cluster, 'succeeded'))?.id).toBe(
          newId.get(succeeded[0]),
        );
      }
      const chained = scans.find(
        s => s.previous !== null && s.previous !== 40 && s.findings > 1,
      )!;
      const id = newId.get(chained.id)!;
      expect(await store.getScan(id)).toMatchObject({
        id,
        previousScanId: newId.get(chained.previous!),
        startedAt: chained.startedAt,
        summary: { error: chained.findings },
      });
      expect((await store.scanFindings(id)).map(f => f.fingerprint)).toEqual(
        Array.from(
          { length: chained.findings },
          (_, k) => `fp-${chained.id}-${k}`,
        ),
      );
      expect(await store.fixedFindings(id)).toEqual([
        { code: 'MS0201', message: `fixed since ${chained.previous}` },
      ]);
      const failed = scans.find(s => s.status === 'failed')!;
      expect(await store.getScan(newId.get(failed.id)!)).toMatchObject({
        status: 'failed',
        error: `cluster ${failed.cluster} unreachable`,
        previousScanId: null,
      });

      // A scan recorded now comes after every migrated one (the order continues) ...
      const latestDev = (await store.latestScan('dev', 'succeeded'))!;
      const next = await store.recordScan({
        cluster: 'dev',
        trigger: 'manual',
        status: 'succeeded',
        startedAt: '2026-11-20T09:00:00.000Z',
        finishedAt: '2026-11-20T09:00:01.000Z',
        previousScanId: latestDev.id,
        meshes: ['istio'],
        summary: { error: 0, warning: 0, info: 0, suppressed: 0 },
        findings: [],
        fixed: [],
      });
      expect(next.id).toMatch(UUID);
      expect((await store.latestScan('dev'))?.id).toBe(next.id);
      expect((await store.listScans({ limit: 1 }))[0].id).toBe(next.id);

      // ... the indexes are back under their names, and the foreign key still cascades and
      // refuses a finding of no scan.
      expect(await indexNames(knex, 'mesh_validation_scans')).toEqual(
        expect.arrayContaining([
          'mesh_validation_scans_cluster_idx',
          'mesh_validation_scans_id_unique',
        ]),
      );
      expect(await indexNames(knex, 'mesh_validation_findings')).toEqual(
        expect.arrayContaining(['mesh_validation_findings_scan_idx']),
      );
      expect(
        await knex('mesh_validation_findings').where({ scan_id: id }),
      ).not.toEqual([]);
      await knex('mesh_validation_scans').where({ id }).delete();
      expect(
        await knex('mesh_validation_findings').where({ scan_id: id }),
      ).toEqual([]);
      if (knex.client.config.client === 'better-sqlite3') {
        // SQLite's refusal of an orphan depends on the connection's foreign_keys pragma (in one
        // fresh-clone CI run an orphan was accepted while the cascade above worked): the key
        // itself is checked here.
        const keys = await knex.raw('PRAGMA foreign_key_list(??)', [
          'mesh_validation_findings',
        ]);
        expect(keys).toEqual([
          expect.objectContaining({
            table: 'mesh_validation_scans',
            from: 'scan_id',
            to: 'id',
            on_delete: 'CASCADE',
          }),
        ]);
      } else {
        await expect(
          knex('mesh_validation_findings').insert({
            scan_id: id,
            fingerprint: 'fp',
            code: 'MS0201',
            severity: 'error',
            suppressed: false,
            is_new: false,
            finding: '{}',
          }),
        ).rejects.toThrow(/foreign key/i);
      }

      // Down goes back to integer ids: each migrated scan gets its old id again, its findings
      // and the references with it (scans no longer stored, the pruned 40 and the one deleted
      // above, have no id to go back to: null).
      await knex.migrate.down({ directory });
      const back = await knex('mesh_validation_scans')
        .select('id', 'previous_scan_id', 'started_at')
        .orderBy('id');
      const kept = scans.filter(s => s.id !== chained.id);
      expect(
        back
          .filter(r => r.started_at !== next.startedAt)
          .map(r => [Number(r.id), r.previous_scan_id, r.started_at]),
      ).toEqual(
        kept.map(s => [
          s.id,
          s.previous === 40 || s.previous === chained.id ? null : s.previous,
          s.startedAt,
        ]),
      );
      expect(Number(back.at(-1).id)).toBeGreaterThan(52);
      const findingsBack = await knex('mesh_validation_findings')
        .select('scan_id', 'fingerprint', 'finding')
        .orderBy('id');
      expect(
        findingsBack.map(f => ({ ...f, scan_id: Number(f.scan_id) })),
      ).toEqual(findingsBefore.filter(f => Number(f.scan_id) !== chained.id));

      // And up again, on what down left.
      await knex.migrate.up({ directory });
      expect(
        Number((await knex('mesh_validation_scans').count({ n: '*' }))[0].n),
      ).toBe(back.length);
    },
  );
});
