import type { Entity } from '@backstage/catalog-model';
import type {
  Finding,
  FindingCodeDoc,
  ResourceRef,
} from '@meshstage/plugin-mesh-common';
import type { KubeObject, KubeResource } from '@meshstage/plugin-mesh-node';
import { ClusterClients, type ClusterClient } from '../cluster';
import { migrateMeshDatabase } from '../database';
import { meshTestDatabases } from '../database/__testUtils__/testDatabases';
import { compareScans } from './compareScans';
import { EntityFindingsService } from './EntityFindingsService';
import { summarizeFindings } from './summarize';
import { ValidationStore } from './ValidationStore';

// The entity's share of two stored scans: its findings with `new`, the findings of the previous
// scan it fixed (`fixed`), and the meaning and fix of the codes it sees (`codes`).

const objects: KubeObject[] = [
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } },
  {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'cart', namespace: 'shop', labels: { app: 'cart' } },
    spec: { template: { metadata: { labels: { app: 'cart' } } } },
  } as KubeObject,
  {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'cart', namespace: 'shop', labels: { app: 'cart' } },
    spec: { selector: { app: 'cart' } },
  } as KubeObject,
  {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'other', namespace: 'web', labels: { app: 'other' } },
    spec: { template: { metadata: { labels: { app: 'other' } } } },
  } as KubeObject,
];

/** A cluster that lists `objects`, honouring namespace and `k=v` label selectors. */
function fakeCluster(name: string): ClusterClient {
  return {
    name,
    url: 'https://dev.example',
    serverVersion: async () => 'v1.31.0',
    list: async <T extends KubeObject>(
      resource: KubeResource,
      options?: { namespace?: string; labelSelector?: string },
    ) =>
      objects.filter(o => {
        if (`${o.kind.toLowerCase()}s` !== resource.plural) return false;
        if (options?.namespace && o.metadata.namespace !== options.namespace)
          return false;
        const [k, v] = options?.labelSelector?.split('=') ?? [];
        return !k || o.metadata.labels?.[k] === v;
      }) as T[],
  } as ClusterClient;
}

const ref = (kind: string, namespace: string, name: string): ResourceRef => ({
  apiVersion: kind === 'Deployment' ? 'apps/v1' : 'v1',
  kind,
  namespace,
  name,
});

const finding = (code: string, resource: ResourceRef): Finding => ({
  code,
  severity: 'warning',
  message: `${code} on ${resource.kind}/${resource.name}`,
  resource,
  path: '/spec',
});

const registry: FindingCodeDoc[] = ['MS0107', 'MS0105', 'MS0102', 'MS0201'].map(
  code => ({
    code,
    name: `Name${code}`,
    severity: 'warning',
    summary: `What ${code} means.`,
    help: `How to fix ${code}.`,
  }),
);

const cart: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'cart',
    namespace: 'default',
    annotations: {
      'backstage.io/kubernetes-label-selector': 'app=cart',
      'backstage.io/kubernetes-namespace': 'shop',
    },
  },
  spec: {},
};

describe('EntityFindingsService', () => {
  const databases = meshTestDatabases();

  it.each(databases.eachSupportedId())(
    "gives an entity its findings, the previous scan's findings it fixed and its codes' help on %p",
    async databaseId => {
      const knex = await databases.init(databaseId);
      await migrateMeshDatabase(knex);
      const store = new ValidationStore(knex, 5);
      const service = new EntityFindingsService(
        new ClusterClients([fakeCluster('dev')], 1000),
        store,
        () => registry,
      );

      const before = await service.getEntityFindings(cart);
      expect(before.clusters).toEqual([
        { cluster: 'dev', scan: null, findings: [] },
      ]);
      expect(before.codes).toEqual([]);

      const stays = finding('MS0105', ref('Service', 'shop', 'cart'));
      const goes = finding('MS0107', ref('Deployment', 'shop', 'cart'));
      const elsewhere = finding('MS0201', ref('Deployment', 'web', 'other'));
      const arrives = finding('MS0102', ref('Deployment', 'shop', 'cart'));
      const scan = (
        current: Finding[],
        previous?: { id: string; findings: Finding[] },
      ) => {
        const prior = previous?.findings.map(f => ({
          fingerprint: compareScans([f], undefined).findings[0].fingerprint,
          finding: f,
        }));
        const comparison = compareScans(current, prior);
        return store.recordScan({
          cluster: 'dev',
          trigger: 'manual',
          status: 'succeeded',
          startedAt: '2026-12-01T10:00:00.000Z',
          finishedAt: '2026-12-01T10:00:01.000Z',
          previousScanId: previous?.id ?? null,
          meshes: ['istio'],
          summary: summarizeFindings(current),
          findings: comparison.findings,
          fixed: comparison.fixed,
        });
      };
      const first = await scan([stays, goes, elsewhere]);
      const second = await scan([stays, arrives], {
        id: first.id,
        findings: [stays, goes, elsewhere],
      });

      const after = await service.getEntityFindings(cart);
      expect(after.entityRef).toBe('component:default/cart');
      const [dev] = after.clusters;
      expect(dev.scan).toMatchObject({ id: second.id, new: 1, fixed: 2 });
      expect(dev.findings).toEqual([
        { ...stays, fingerprint: expect.any(String), new: false },
        { ...arrives, fingerprint: expect.any(String), new: true },
      ]);
      // The other workload's fixed finding is not this entity's.
      expect(dev.fixed).toEqual([{ ...goes, fingerprint: expect.any(String) }]);
      expect(after.codes?.map(c => c.code)).toEqual([
        'MS0102',
        'MS0105',
        'MS0107',
      ]);
      expect(after.codes?.[0]).toEqual({
        code: 'MS0102',
        name: 'NameMS0102',
        severity: 'warning',
        summary: 'What MS0102 means.',
        help: 'How to fix MS0102.',
      });
    },
  );
});
