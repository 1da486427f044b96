import type { LifecycleRequest, Plan } from '@meshstage/plugin-mesh-common';
import type {
  MeshAdapter,
  MeshClusterView,
  MeshDetection,
} from '@meshstage/plugin-mesh-node';
import {
  applyStep,
  deploymentRef,
  kubeResources,
  patchStep,
  waitStep,
} from '@meshstage/plugin-mesh-node';

/**
 * A test mesh whose install creates a ConfigMap `stuck-<name>` in `default`, labels the
 * `bookinfo` namespace and then waits for a Deployment `<waitFor>` in `default` to be Available
 * (`values: { name, waitFor, timeoutSeconds }`): a Deployment nobody creates makes an operation that cannot finish,
 * as a backend killed mid-install leaves it.
 */
export class StuckAdapter implements MeshAdapter {
  readonly id = 'stuck';
  readonly displayName = 'Stuck';
  readonly injection = {
    namespaceEnabled: () => ({ enabled: false }),
    proxyContainerNames: [] as string[],
  };

  supportedVersions() {
    return ['1.0.0'];
  }

  async detect(cluster: MeshClusterView): Promise<MeshDetection> {
    const maps = await cluster.list(kubeResources.configMaps, {
      namespace: 'default',
      labelSelector: 'app=stuck',
    });
    return {
      installed: maps.length > 0,
      versions: [],
      revisions: [],
      components: [],
      namespaces: [],
    };
  }

  async plan(request: LifecycleRequest): Promise<Plan> {
    if (request.action !== 'install') {
      throw new Error('Stuck can only be installed');
    }
    const name = String(request.values?.name ?? 'one');
    const waitFor = String(request.values?.waitFor ?? 'never');
    return {
      request,
      summary: `Install Stuck ${name} on ${request.cluster}`,
      steps: [
        applyStep({
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: {
            name: `stuck-${name}`,
            namespace: 'default',
            labels: { app: 'stuck' },
          },
          data: { version: request.version },
        }),
        patchStep(
          { apiVersion: 'v1', kind: 'Namespace', name: 'bookinfo' },
          { metadata: { labels: { [`stuck-${name}`]: 'yes' } } },
          'mark the namespace',
        ),
        waitStep(
          deploymentRef(waitFor, 'default'),
          'Available',
          Number(request.values?.timeoutSeconds ?? 600),
        ),
      ],
    };
  }
}
