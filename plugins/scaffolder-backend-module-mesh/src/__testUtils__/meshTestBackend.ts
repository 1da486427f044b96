import type { Entity } from '@backstage/catalog-model';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  type TestBackend,
} from '@backstage/backend-test-utils';
import { type BackendFeature } from '@backstage/backend-plugin-api';
// These test-only imports resolve from the workspace (other packages depend on them); declaring
// them here needs a lockfile update, which this change leaves to a `yarn install`.
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  scaffolderActionsExtensionPoint,
  type TemplateAction,
} from '@backstage/plugin-scaffolder-node';
import { startKubeSim, type KubeSim } from '@meshstage/kube-sim';
// The tests run the real mesh backend the actions call.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import meshPlugin from '@meshstage/plugin-mesh-backend';
import istioModule from '@meshstage/plugin-mesh-backend-module-istio';
import linkerdModule from '@meshstage/plugin-mesh-backend-module-linkerd';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { scaffolderModuleMesh } from '../module';

/** The dev cluster's seed: the bookinfo namespace and its workloads. */
export const EXAMPLE_CLUSTER = path.resolve(
  __dirname,
  '../../../../examples/cluster',
);

/** Catalog entities the tests use: bookinfo's productpage and an entity without pods. */
export const testEntities: Entity[] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'productpage',
      namespace: 'default',
      annotations: {
        'backstage.io/kubernetes-id': 'productpage',
        'backstage.io/kubernetes-namespace': 'bookinfo',
        'meshstage.io/mesh': 'istio',
      },
    },
    spec: { type: 'service', lifecycle: 'production', owner: 'guests' },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'not-deployed',
      namespace: 'default',
      annotations: {
        'backstage.io/kubernetes-id': 'not-deployed',
        'meshstage.io/mesh': 'istio',
      },
    },
    spec: { type: 'service', lifecycle: 'experimental', owner: 'guests' },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name: 'ann', namespace: 'default' },
    spec: { memberOf: [] },
  },
];

/**
 * The Kubernetes plugin's cluster configuration for a kube-sim, as the mesh backend reads it
 * (`type: config`, service-account token; TLS not verified).
 */
export function clusterConfig(sim: KubeSim, name = 'dev') {
  return {
    kubernetes: {
      clusterLocatorMethods: [
        {
          type: 'config',
          clusters: [
            {
              name,
              url: sim.url,
              authProvider: 'serviceAccount',
              serviceAccountToken: sim.token,
              skipTLSVerify: true,
            },
          ],
        },
      ],
    },
    // The adapters' built-in renderers: offline, no helm binary.
    mesh: { charts: { source: 'builtin' } },
  };
}

/** What {@link startMeshTestBackend} starts. */
export interface MeshTestBackend {
  sim: KubeSim;
  backend: TestBackend;
  /** http://localhost:<port> of the test backend. */
  baseUrl: string;
  /** The actions this package's module registered, by id (without the real scaffolder). */
  actions: Map<string, TemplateAction<any, any, any>>;
  /** A request to the mesh backend's REST API as `user:default/ann`. */
  meshApi(
    path: string,
    init?: { method?: string; body?: unknown },
  ): Promise<any>;
  /** GET of a kube-sim API path, e.g. `/api/v1/namespaces/bookinfo`. */
  kube(path: string): Promise<any>;
  stop(): Promise<void>;
}

/**
 * A real mesh backend (the plugin, the Istio and Linkerd adapters, as the portal has them) over a kube-sim seeded like the dev
 * cluster, and this package's module in the same backend with its actions captured from the
 * extension point, so tests run them with `createMockActionContext` against real HTTP. The
 * catalog is `catalogServiceMock` with {@link testEntities}.
 */
export async function startMeshTestBackend(
  options: {
    features?: BackendFeature[];
    config?: object;
    /** The catalog's entities; {@link testEntities} by default. */
    entities?: Entity[];
    /**
     * Whether the real scaffolder plugin is among `features`: it then owns the actions'
     * extension point, and `actions` stays empty.
     */
    withScaffolder?: boolean;
  } = {},
): Promise<MeshTestBackend> {
  const sim = await startKubeSim({ seed: [EXAMPLE_CLUSTER] });
  const actions = new Map<string, TemplateAction<any, any, any>>();
  const features = [
    meshPlugin,
    istioModule,
    linkerdModule,
    scaffolderModuleMesh,
    catalogServiceMock.factory({
      entities: options.entities ?? testEntities,
    }),
    mockServices.rootConfig.factory({
      data: { ...clusterConfig(sim), ...options.config },
    }),
    ...(options.features ?? []),
  ];
  let backend: TestBackend;
  try {
    backend = options.withScaffolder
      ? await startTestBackend({ features })
      : await startTestBackend({
          extensionPoints: [
            [
              scaffolderActionsExtensionPoint,
              {
                addActions: (...added: TemplateAction<any, any, any>[]) =>
                  added.forEach(a => actions.set(a.id, a)),
              },
            ],
          ],
          features,
        });
  } catch (error) {
    await sim.close();
    throw error;
  }
  const port = (backend.server.address() as AddressInfo).port;
  const baseUrl = `http://localhost:${port}`;

  async function meshApi(
    p: string,
    init: { method?: string; body?: unknown } = {},
  ) {
    const res = await fetch(`${baseUrl}/api/mesh${p}`, {
      method: init.method ?? (init.body ? 'POST' : 'GET'),
      headers: {
        Authorization: `Bearer ${mockCredentials.user.token(
          'user:default/ann',
        )}`,
        ...(init.body ? { 'Content-Type': 'application/json' } : {}),
      },
      body: init.body ? JSON.stringify(init.body) : undefined,
    });
    const body = await res.json();
    if (!res.ok) {
      throw new Error(`${p} answered ${res.status}: ${JSON.stringify(body)}`);
    }
    return body;
  }

  async function kube(p: string) {
    const res = await fetch(`${sim.url}${p}`, {
      headers: { Authorization: `Bearer ${sim.token}` },
    });
    return res.json();
  }

  return {
    sim,
    backend,
    baseUrl,
    actions,
    meshApi,
    kube,
    async stop() {
      await backend.stop();
      await sim.close();
    },
  };
}

/**
 * Polls `check` until it returns a value, every 200 ms, failing after `timeoutMs` (generous: the
 * machine is shared).
 */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) {
      throw new Error(`condition not met within ${timeoutMs} ms`);
    }
    await new Promise(resolve => setTimeout(resolve, 200));
  }
}
