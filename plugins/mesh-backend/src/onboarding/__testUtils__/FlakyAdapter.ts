import { createBackendModule } from '@backstage/backend-plugin-api';
import type { LifecycleRequest, Plan } from '@meshstage/plugin-mesh-common';
import {
  type MeshAdapter,
  type MeshClusterView,
  type MeshDetection,
  deploymentRef,
  labelOf,
  meshAdaptersExtensionPoint,
  patchStep,
  waitStep,
} from '@meshstage/plugin-mesh-node';

/** The namespace label the flaky mesh's injection reads. */
export const FLAKY_INJECT_LABEL = 'flaky.example.com/inject';

/**
 * A test mesh whose onboarding never works, in the two ways an attempt can fail: on the cluster
 * named `installedOn` its onboard plan labels the namespace and then waits one second for a
 * Deployment nobody creates (the operation fails on the real cluster); anywhere else the planner
 * refuses ("not installed"), so no operation is created.
 */
export class FlakyAdapter implements MeshAdapter {
  readonly id = 'flaky';
  readonly displayName = 'Flaky';
  readonly injection = {
    proxyContainerNames: ['flaky-proxy'],
    namespaceEnabled: (ns: Parameters<typeof labelOf>[0]) => ({
      enabled: labelOf(ns, FLAKY_INJECT_LABEL) === 'enabled',
    }),
  };

  constructor(private readonly installedOn: string) {}

  supportedVersions() {
    return ['1.0.0'];
  }

  async detect(cluster: MeshClusterView): Promise<MeshDetection> {
    return {
      installed: cluster.name === this.installedOn,
      versions: [],
      revisions: [],
      components: [],
      namespaces: [],
    };
  }

  async plan(request: LifecycleRequest): Promise<Plan> {
    if (request.action !== 'onboard') {
      throw new Error(`Flaky cannot ${request.action}`);
    }
    if (request.cluster !== this.installedOn) {
      throw new Error(`Flaky is not installed on ${request.cluster}`);
    }
    return {
      request,
      summary: `Onboard namespace ${request.namespace} to Flaky on ${request.cluster}`,
      steps: [
        patchStep(
          { apiVersion: 'v1', kind: 'Namespace', name: request.namespace },
          { metadata: { labels: { [FLAKY_INJECT_LABEL]: 'enabled' } } },
          'enable injection',
        ),
        waitStep(
          deploymentRef('flaky-injector', request.namespace),
          'Available',
          1,
        ),
      ],
    };
  }
}

/** Registers a {@link FlakyAdapter} with the mesh plugin. */
export function flakyMeshModule(installedOn: string) {
  return createBackendModule({
    pluginId: 'mesh',
    moduleId: 'flaky-test',
    register(reg) {
      reg.registerInit({
        deps: { adapters: meshAdaptersExtensionPoint },
        async init({ adapters }) {
          adapters.addAdapter(new FlakyAdapter(installedOn));
        },
      });
    },
  });
}
