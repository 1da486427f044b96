/*
 * A mesh backend as a process of its own, for the tests that kill one with SIGKILL or run two
 * side by side: the mesh plugin and the Istio module in a Backstage test backend on a free port,
 * with the real database service (SQLite files or PostgreSQL, from the configuration given).
 * Started by `startMeshBackendProcess` (meshBackendProcess.ts), which hands it its configuration
 * in MESH_BACKEND_CONFIG and reads its port from the IPC channel.
 */
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import istioModule from '@meshstage/plugin-mesh-backend-module-istio';
import { meshPlugin } from '../../plugin';

/** What the parent learns over IPC. */
export type MeshBackendMessage =
  | { type: 'listening'; port: number }
  | { type: 'error'; message: string };

async function main() {
  const config = JSON.parse(process.env.MESH_BACKEND_CONFIG ?? '{}');
  const backend = await startTestBackend({
    features: [
      meshPlugin,
      istioModule,
      catalogServiceMock.factory({ entities: [] }),
      mockServices.rootConfig.factory({ data: config }),
      // Warnings and errors only, on stderr, which the parent shows when the process fails.
      mockServices.rootLogger.factory({ level: 'warn' }),
      // Scheduled tasks do not run on their own: the interruption sweep at plugin start is the
      // one under test, and nothing else should touch the clusters.
      mockServices.scheduler.factory({ skipTaskRunOnStartup: true }),
    ],
  });
  const message: MeshBackendMessage = {
    type: 'listening',
    port: backend.server.port(),
  };
  process.send?.(message);
}

// The parent going away (a crashed test run) takes this process with it.
process.on('disconnect', () => process.exit(0));

main().catch(error => {
  const message: MeshBackendMessage = {
    type: 'error',
    message: String(error?.stack ?? error),
  };
  process.send?.(message);
  process.exit(1);
});
