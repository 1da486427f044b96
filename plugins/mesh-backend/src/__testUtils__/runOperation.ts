import { eventually } from '@meshstage/plugin-mesh-node';
import type { Server } from 'node:http';
import request from 'supertest';

/**
 * Starts a lifecycle operation through `POST /api/mesh/operations` (expecting 202) and resolves
 * with the operation once it has succeeded or failed.
 */
export async function runOperation(
  server: Server,
  body: Record<string, unknown>,
): Promise<{ id: string; state: string; [field: string]: unknown }> {
  const res = await request(server).post('/api/mesh/operations').send(body);
  expect(res.status).toBe(202);
  const id = res.body.operation.id;
  return eventually(async () => {
    const { body: detail } = await request(server).get(
      `/api/mesh/operations/${id}`,
    );
    return ['succeeded', 'failed'].includes(detail.operation.state)
      ? detail.operation
      : undefined;
  }, 60_000);
}
