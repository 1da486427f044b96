import type {
  Analyzer,
  KubeDeployment,
  KubeNamespace,
  KubePod,
  MeshAdapter,
  MeshClusterView,
  MeshDetection,
  PlanContext,
} from '@meshstage/plugin-mesh-node';
import type { LifecycleRequest, Plan } from '@meshstage/plugin-mesh-common';
import { kubeResources } from '@meshstage/plugin-mesh-node';
import { ISTIOD_APP_LABEL, ISTIOD_APP_VALUE } from './constants';
import { istioAnalyzers } from './analyzers';
import { detectIstio } from './detect';
import { planIstio } from './manifests';
import { istioInjection } from './injection';
import { ISTIO_SUPPORTED_VERSIONS } from './versions';

/**
 * The Istio {@link @meshstage/plugin-mesh-node#MeshAdapter}: finds istiod control planes (one per
 * revision), their versions and health, and the namespaces injected with `istio-proxy`.
 * @public
 */
export class IstioAdapter implements MeshAdapter {
  readonly id = 'istio';
  readonly displayName = 'Istio';
  readonly injection = istioInjection;

  supportedVersions(): string[] {
    return [...ISTIO_SUPPORTED_VERSIONS];
  }

  analyzers(): Analyzer[] {
    return istioAnalyzers();
  }

  async detect(cluster: MeshClusterView): Promise<MeshDetection> {
    // Three independent reads, in parallel so a slow cluster costs one round trip, not three.
    const [deployments, namespaces, pods] = await Promise.all([
      cluster.list<KubeDeployment>(kubeResources.deployments, {
        labelSelector: `${ISTIOD_APP_LABEL}=${ISTIOD_APP_VALUE}`,
      }),
      cluster.list<KubeNamespace>(kubeResources.namespaces),
      cluster.list<KubePod>(kubeResources.pods),
    ]);
    return detectIstio({ deployments, namespaces, pods });
  }

  /** Plans install, uninstall, onboard/offboard, canary or in-place upgrade and rollback; see `planIstio`. */
  async plan(request: LifecycleRequest, ctx: PlanContext): Promise<Plan> {
    return planIstio(request, ctx, ISTIO_SUPPORTED_VERSIONS);
  }
}
