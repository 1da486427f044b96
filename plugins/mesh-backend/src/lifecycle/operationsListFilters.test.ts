import { mockErrorHandler, mockServices } from '@backstage/backend-test-utils';
import type { LifecycleRequest } from '@meshstage/plugin-mesh-common';
import express from 'express';
import request from 'supertest';
import { migrateMeshDatabase } from '../database';
import { meshTestDatabases } from '../database/__testUtils__/testDatabases';
import { OperationStore } from './OperationStore';
import { createOperationsRouter } from './router';

// Databases (PostgreSQL too, when configured) are set up per test: jest's 5 s default is too tight.
jest.setTimeout(60_000);

describe('GET /operations filters and paging', () => {
  const databases = meshTestDatabases();

  it.each(databases.eachSupportedId())(
    'filters by who started it and pages newest first, on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await migrateMeshDatabase(knex);
      const store = new OperationStore(knex);
      const ids: string[] = [];
      // Five operations on five clusters (one lock each), alternating creators.
      for (let i = 0; i < 5; i++) {
        const req: LifecycleRequest = {
          action: 'install',
          mesh: 'istio',
          cluster: `c${i}`,
          version: '1.30.3',
        };
        const op = await store.create({
          request: req,
          plan: { request: req, summary: `install ${i}`, steps: [] },
          createdBy: i % 2 ? 'user:default/bob' : 'user:default/ann',
          owner: 'a',
        } as any);
        ids.push(op.id);
        // Distinct creation times, in order.
        await knex('mesh_operations')
          .where({ id: op.id })
          .update({
            created_at: new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString(),
          });
      }

      const app = express();
      app.use(
        '/api/mesh',
        createOperationsRouter({
          httpAuth: mockServices.httpAuth(),
          permissions: mockServices.permissions(),
          auditor: mockServices.auditor.mock(),
          operations: { store } as any,
        }),
      );
      app.use(mockErrorHandler());
      const list = async (qs: string) => {
        const res = await request(app).get(`/api/mesh/operations?${qs}`);
        expect(res.status).toBe(200);
        return (res.body.items as Array<{ id: string; createdBy: string }>).map(
          i => i.id,
        );
      };

      expect(await list('createdBy=user:default/ann')).toEqual([
        ids[4],
        ids[2],
        ids[0],
      ]);
      expect(await list('limit=2')).toEqual([ids[4], ids[3]]);
      expect(await list('limit=2&offset=2')).toEqual([ids[2], ids[1]]);
      expect(await list('limit=2&offset=4')).toEqual([ids[0]]);
      expect(
        await list('createdBy=user:default/bob&limit=1&offset=1&mesh=istio'),
      ).toEqual([ids[1]]);

      const bad = await request(app).get('/api/mesh/operations?offset=-1');
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toContain("query parameter 'offset'");
    },
  );
});
