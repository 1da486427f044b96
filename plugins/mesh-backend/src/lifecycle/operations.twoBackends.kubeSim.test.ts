import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type KubeSim, startKubeSim } from '@meshstage/kube-sim';
import type { Operation } from '@meshstage/plugin-mesh-common';
import {
  HttpClusterView,
  eventually,
  kubeResources,
} from '@meshstage/plugin-mesh-node';
import knexFactory, { type Knex } from 'knex';
import { kubernetesClustersConfig } from '../__testUtils__/kubernetesConfig';
import { HoldingProxy } from './__testUtils__/HoldingProxy';
import {
  type MeshBackendProcess,
  startMeshBackendProcess,
} from './__testUtils__/meshBackendProcess';

// Two mesh backend processes share one PostgreSQL database and 50 clusters. One operation per
// cluster (an Istio onboard of the cluster's own namespace) is sent to one backend and, at the
// same moment, a duplicate to the other: the per-cluster lock, taken in the database, must let
// exactly one of each pair run, and every accepted operation must run once, to the end, on the
// backend that accepted it. The 50 cluster names lead to one kube-sim (through one proxy): the
// lock is keyed by the configured cluster name, which is all a backend knows of a cluster, and
// each cluster's operation touches only its own namespace, so every change is traced to one
// cluster name; 50 kube-sim processes would measure the machine, not the lock.

const PG = process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING;
// Two backends, 50 rollouts and PostgreSQL on a busy machine: generous.
jest.setTimeout(20 * 60_000);

const CLUSTERS = 50;
const TOKEN = 'two-backends-test';
const names = Array.from({ length: CLUSTERS }, (_, i) =>
  String(i).padStart(2, '0'),
);
const cluster = (n: string) => `c${n}`;
const namespace = (n: string) => `tenant-${n}`;

/** Each cluster's namespace with one Deployment in it, as YAML for kube-sim's seed. */
function tenantsYaml(): string {
  return names
    .map(
      n => `apiVersion: v1
kind: Namespace
metadata:
  name: ${namespace(n)}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: app
  namespace: ${namespace(n)}
spec:
  replicas: 1
  selector:
    matchLabels: { app: app }
  template:
    metadata:
      labels: { app: app }
    spec:
      containers:
        - name: app
          image: nginx:1.27
`,
    )
    .join('---\n');
}

(PG ? describe : describe.skip)(
  'two backends sharing one PostgreSQL, 50 clusters, one operation each',
  () => {
    let dir: string;
    let sim: KubeSim;
    let proxy: HoldingProxy;
    let backends: MeshBackendProcess[] = [];
    let db: Knex;
    const database = `meshstage_two_backends_${randomBytes(4).toString(
      'hex',
    )}_`;

    beforeAll(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-two-backends-'));
      fs.writeFileSync(path.join(dir, 'tenants.yaml'), tenantsYaml());
      sim = await startKubeSim({ seed: [dir], token: TOKEN });
      proxy = await HoldingProxy.start();
      proxy.setTarget(sim.url);
      const config = {
        backend: {
          // Each plugin's database is `<prefix><pluginId>`: both backends use the same one.
          database: { client: 'pg', connection: PG, prefix: database },
        },
        ...kubernetesClustersConfig(
          ['setup', ...names.map(cluster)].map(name => ({
            name,
            url: proxy.url,
            token: TOKEN,
          })),
        ),
        mesh: {
          charts: { source: 'builtin' },
          // Writes wait at the proxy until every request is answered: longer than that.
          clusterTimeout: { minutes: 5 },
        },
      };
      // One after the other: the first creates the database and migrates it.
      backends = [await startMeshBackendProcess('a', config)];
      backends.push(await startMeshBackendProcess('b', config));
      db = knexFactory({
        client: 'pg',
        connection: `${PG!.replace(/\/+$/, '')}/${database}mesh`,
      });
    });

    afterAll(async () => {
      for (const b of backends) await b.stop();
      await db?.destroy();
      await proxy?.close();
      await sim?.close();
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
      if (PG) {
        const admin = knexFactory({
          client: 'pg',
          connection: `${PG.replace(/\/+$/, '')}/postgres`,
        });
        try {
          await admin.raw(`DROP DATABASE IF EXISTS "${database}mesh"`);
        } finally {
          await admin.destroy();
        }
      }
    });

    async function settled(b: MeshBackendProcess, id: string) {
      return eventually(async () => {
        const { body } = await b.api.get(`/operations/${id}`);
        return ['succeeded', 'failed'].includes(body.operation?.state)
          ? (body.operation as Operation)
          : undefined;
      }, 240_000);
    }

    it('runs each accepted operation exactly once, refuses each duplicate with 409, and loses none', async () => {
      const [a, b] = backends;
      const install = await a.api.post('/operations', {
        action: 'install',
        mesh: 'istio',
        cluster: 'setup',
        version: '1.23.4',
      });
      expect(install.status).toBe(202);
      expect((await settled(a, install.body.operation.id)).state).toBe(
        'succeeded',
      );

      // Until every request is answered, operations stop at their first write, holding their
      // locks: a duplicate can only arrive while the original runs.
      proxy.holdWrites();
      const accepted = new Map<string, { op: Operation; by: string }>();
      const refused = new Map<string, { status: number; holder: string }>();
      for (let i = 0; i < CLUSTERS; i += 10) {
        await Promise.all(
          names.slice(i, i + 10).map(async (n, j) => {
            const body = {
              action: 'onboard',
              mesh: 'istio',
              cluster: cluster(n),
              namespace: namespace(n),
            };
            // Half go to a first, half to b first; each pair is sent at once.
            const pair = (i + j) % 2 === 0 ? [a, b] : [b, a];
            const responses = await Promise.all(
              pair.map(p => p.api.post('/operations', body)),
            );
            for (const [k, res] of responses.entries()) {
              if (res.status === 202) {
                accepted.set(n, { op: res.body.operation, by: pair[k].name });
              } else {
                refused.set(n, {
                  status: res.status,
                  holder: res.body.operationId,
                });
              }
            }
          }),
        );
      }
      expect([accepted.size, refused.size]).toEqual([CLUSTERS, CLUSTERS]);
      for (const n of names) {
        // The duplicate names the operation that holds the cluster's lock.
        expect([n, refused.get(n)]).toEqual([
          n,
          { status: 409, holder: accepted.get(n)!.op.id },
        ]);
      }
      // Both backends took a share.
      const by = [...accepted.values()].map(x => x.by);
      expect(new Set(by)).toEqual(new Set(['a', 'b']));
      // All 50 run at once, each at its first write, each holding its own cluster's lock.
      await eventually(
        async () => (proxy.heldWrites === CLUSTERS ? true : undefined),
        240_000,
      );
      const locks = await db('mesh_operation_locks')
        .whereNot({ cluster: 'setup' })
        .select('cluster', 'mesh', 'operation_id');
      expect(locks.sort((p, q) => p.cluster.localeCompare(q.cluster))).toEqual(
        names.map(n => ({
          cluster: cluster(n),
          mesh: 'istio',
          operation_id: accepted.get(n)!.op.id,
        })),
      );
      proxy.releaseWrites();

      const ops = new Map<string, Operation>();
      for (const [n, { op, by: name }] of accepted) {
        ops.set(n, await settled(backends.find(x => x.name === name)!, op.id));
      }

      // Both backends list the same 50 operations: one per cluster, none lost, none doubled.
      for (const x of backends) {
        const { body } = await x.api.get('/operations?limit=500');
        expect(
          body.items
            .filter((o: any) => o.cluster !== 'setup')
            .map((o: any) => [o.cluster, o.id, o.state])
            .sort((p: string[], q: string[]) => p[0].localeCompare(q[0])),
        ).toEqual(
          names.map(n => [cluster(n), accepted.get(n)!.op.id, 'succeeded']),
        );
      }
      expect(
        (
          await db('mesh_operations').where({ action: 'onboard' }).count({
            c: '*',
          })
        )[0].c,
      ).toEqual(String(CLUSTERS));
      expect(await db('mesh_operation_locks').select('cluster')).toEqual([]);

      // Each ran once, on the backend that accepted it, and was never taken for dead.
      for (const n of names) {
        const { op: started } = accepted.get(n)!;
        const op = ops.get(n)!;
        expect([n, op.owner, op.run, op.error]).toEqual([
          n,
          started.owner,
          1,
          undefined,
        ]);
        const { body } = await a.api.get(`/operations/${op.id}`);
        const messages: string[] = body.log.map((l: any) => l.message);
        expect([
          n,
          messages.filter(m => /^Run \d+ on backend instance/.test(m)).length,
          messages.filter(m => /^Interrupted/.test(m)).length,
          messages.filter(m => /^Succeeded/.test(m)).length,
        ]).toEqual([n, 1, 0, 1]);
      }
      expect(new Set([...ops.values()].map(o => o.owner)).size).toBe(2);

      // Each cluster's change was made once: its namespace enabled, its Deployment restarted
      // once (revision 2), at the time its operation's plan carries.
      const view = new HttpClusterView({ url: sim.url, token: TOKEN });
      const namespaces = new Map(
        (await view.list(kubeResources.namespaces)).map(ns => [
          ns.metadata.name,
          ns,
        ]),
      );
      const deployments = new Map(
        (await view.list(kubeResources.deployments)).map(d => [
          d.metadata.namespace,
          d as any,
        ]),
      );
      for (const n of names) {
        const restart = ops
          .get(n)!
          .plan.steps.find(
            s => s.type === 'patch' && s.target.kind === 'Deployment',
          ) as any;
        const deployment = deployments.get(namespace(n));
        expect([
          n,
          namespaces.get(namespace(n))?.metadata.labels?.['istio-injection'],
          deployment.metadata.annotations['deployment.kubernetes.io/revision'],
          deployment.spec.template.metadata.annotations[
            'kubectl.kubernetes.io/restartedAt'
          ],
        ]).toEqual([
          n,
          'enabled',
          '2',
          restart.patch.spec.template.metadata.annotations[
            'kubectl.kubernetes.io/restartedAt'
          ],
        ]);
      }
    });
  },
);
