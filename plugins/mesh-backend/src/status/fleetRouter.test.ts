import { mockErrorHandler, mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type {
  FleetSummary,
  LifecycleRequest,
} from '@meshstage/plugin-mesh-common';
import {
  InMemoryClusterView,
  type KubeObject,
} from '@meshstage/plugin-mesh-node';
import express from 'express';
import request from 'supertest';
import { AdapterRegistry } from '../adapters/AdapterRegistry';
import { ClusterClients, type ClusterClient } from '../cluster';
import { migrateMeshDatabase } from '../database';
import { meshTestDatabases } from '../database/__testUtils__/testDatabases';
import { DriftStore } from '../drift/DriftStore';
import { OperationStore } from '../lifecycle/OperationStore';
import { createFleetRouter } from './fleetRouter';
import { fakeAdapter } from './testAdapters';

jest.setTimeout(60_000);

const pod = (
  name: string,
  namespace: string,
  proxyImage?: string,
): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace },
  spec: {
    containers: [
      { name: 'app', image: 'app:1' },
      ...(proxyImage ? [{ name: 'istio-proxy', image: proxyImage }] : []),
    ],
  },
  status: { phase: 'Running' },
});

function reachable(name: string, objects: KubeObject[]): ClusterClient {
  const view = new InMemoryClusterView(name, objects);
  return {
    name,
    url: `https://${name}.example`,
    serverVersion: async () => 'v1.31.0',
    list: view.list.bind(view),
  };
}

/** A cluster whose every call fails the way a refused connection does. */
function unreachable(name: string): ClusterClient {
  const refuse = async () => {
    throw new Error(`connect ECONNREFUSED (cluster '${name}')`);
  };
  return {
    name,
    url: `https://${name}.example`,
    serverVersion: refuse,
    list: refuse,
  };
}

const istio = fakeAdapter('istio', ['istio-proxy'], async () => ({
  installed: true,
  versions: ['1.30.3'],
  revisions: ['1-30-3'],
  revisionTags: [{ tag: 'default', revision: '1-30-3' }],
  components: [
    {
      name: 'istiod',
      namespace: 'istio-system',
      version: '1.30.3',
      replicas: 1,
      readyReplicas: 1,
      healthy: true,
    },
  ],
  namespaces: [
    { name: 'bookinfo', injectionEnabled: true, pods: 3, meshedPods: 2 },
  ],
  mtls: { mode: 'PERMISSIVE', source: 'default' },
}));
const linkerd = fakeAdapter('linkerd', ['linkerd-proxy']);

describe('GET /fleet', () => {
  const databases = meshTestDatabases();

  async function start(options: { permissions?: any } = {}) {
    const knex = await databases.init('SQLITE_3');
    await migrateMeshDatabase(knex);
    const adapters = new AdapterRegistry();
    adapters.add(istio, linkerd);
    const clusters = new ClusterClients(
      [
        reachable('dev', [
          pod('a', 'bookinfo', 'docker.io/istio/proxyv2:1.30.3'),
          pod('b', 'bookinfo', 'docker.io/istio/proxyv2:1.29.6'),
          pod('c', 'bookinfo'),
        ]),
        unreachable('gone'),
      ],
      200,
    );
    const app = express();
    app.use(
      '/api/mesh',
      createFleetRouter({
        httpAuth: mockServices.httpAuth(),
        permissions: options.permissions ?? mockServices.permissions(),
        adapters,
        clusters,
        knex,
      }),
    );
    app.use(mockErrorHandler());
    return { app, knex };
  }

  it('answers every cluster by every mesh: installed, not installed, unreachable with its error', async () => {
    const { app, knex } = await start();
    await new DriftStore(knex).save({
      cluster: 'dev',
      mesh: 'istio',
      checkedAt: '2026-12-01T10:00:00.000Z',
      drifted: true,
      objects: [
        {
          ref: {
            apiVersion: 'v1',
            kind: 'ConfigMap',
            name: 'istio',
            namespace: 'istio-system',
          },
          status: 'modified',
          differences: [{ path: '/data/mesh', desired: 'a', live: 'b' }],
          operationId: 'op-1',
        },
      ],
    });
    const store = new OperationStore(knex);
    const install: LifecycleRequest = {
      action: 'install',
      mesh: 'istio',
      cluster: 'dev',
      version: '1.30.3',
    };
    const op = await store.create({
      request: install,
      plan: {
        request: install,
        summary: 'Install Istio 1.30.3 on dev',
        steps: [],
      },
      createdBy: 'user:default/ann',
      owner: 'a',
    } as any);

    const res = await request(app).get('/api/mesh/fleet');
    expect(res.status).toBe(200);
    const body = res.body as FleetSummary;
    expect(body.meshes).toEqual(['istio', 'linkerd']);
    expect(body.clusters.map(c => [c.name, c.reachable])).toEqual([
      ['dev', true],
      ['gone', false],
    ]);
    const [dev, gone] = body.clusters;
    expect(dev.serverVersion).toBe('v1.31.0');
    const [istioCell, linkerdCell] = dev.meshes;
    expect(istioCell).toMatchObject({
      mesh: 'istio',
      cluster: 'dev',
      installed: true,
      versions: ['1.30.3'],
      revisionTags: [{ tag: 'default', revision: '1-30-3' }],
      mtls: { mode: 'PERMISSIVE' },
      coverage: { pods: 3, meshedPods: 2, outdatedProxies: 1 },
      drift: {
        checkedAt: '2026-12-01T10:00:00.000Z',
        drifted: true,
        modified: 1,
        missing: 0,
      },
      activeOperation: { id: op.id, action: 'install', state: 'planned' },
    });
    expect(linkerdCell).toMatchObject({ mesh: 'linkerd', installed: false });
    expect(linkerdCell.error).toBeUndefined();
    expect(gone.error).toContain('ECONNREFUSED');
    expect(gone.meshes.map(m => [m.mesh, m.installed, m.error])).toEqual([
      ['istio', false, expect.stringContaining('ECONNREFUSED')],
      ['linkerd', false, expect.stringContaining('ECONNREFUSED')],
    ]);
  });

  it('narrows to one cluster and mesh, and names a bad parameter in a 400', async () => {
    const { app } = await start();
    const one = await request(app).get(
      '/api/mesh/fleet?cluster=dev&mesh=linkerd',
    );
    expect(one.status).toBe(200);
    expect(one.body.meshes).toEqual(['linkerd']);
    expect(one.body.clusters.map((c: any) => c.name)).toEqual(['dev']);

    const bad = await request(app).get('/api/mesh/fleet?cluster=nowhere');
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain("query parameter 'cluster'");

    const unknown = await request(app).get('/api/mesh/fleet?clusters=dev');
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toMatch(/query parameter/);

    const badMesh = await request(app).get('/api/mesh/fleet?mesh=kuma');
    expect(badMesh.status).toBe(400);
    expect(badMesh.body.error.message).toContain("query parameter 'mesh'");
  });

  it('leaves drift and operations out for a caller who may not read operations', async () => {
    const permissions = mockServices.permissions.mock();
    permissions.authorize.mockImplementation(async requests =>
      (requests as any[]).map(r => ({
        result:
          r.permission.name === 'mesh.status.read'
            ? AuthorizeResult.ALLOW
            : AuthorizeResult.DENY,
      })),
    );
    const { app } = await start({ permissions });
    const res = await request(app).get('/api/mesh/fleet?cluster=dev');
    expect(res.status).toBe(200);
    expect(res.body.clusters[0].meshes[0].drift).toBeUndefined();
    expect(res.body.clusters[0].findings).toBeUndefined();
  });
});
