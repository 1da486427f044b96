import type {
  Analyzer,
  KubeDeployment,
  KubeNamespace,
  KubePod,
  MeshAdapter,
  MeshClusterView,
  MeshDetection,
  PlanContext,
  SampleApp,
} from '@meshstage/plugin-mesh-node';
import type { LifecycleRequest, Plan } from '@meshstage/plugin-mesh-common';
import { kubeResources } from '@meshstage/plugin-mesh-node';
import { ISTIOD_APP_LABEL, ISTIOD_APP_VALUE, TAG_LABEL } from './constants';
import { istioAnalyzers } from './analyzers';
import { ISTIO_MESH_CONFIG, ISTIO_MESH_NETWORKS } from './analyzers/meshConfig';
import { istioSampleApps } from './samples';
import { detectIstio } from './detect';

const PEER_AUTHENTICATIONS = {
  group: 'security.istio.io',
  version: 'v1',
  plural: 'peerauthentications',
};
import { planIstio } from './manifests';
import { istioInjection } from './injection';
import { ISTIO_SUPPORTED_VERSIONS } from './versions';
import { istioCharts } from './charts';
import { istioTopology } from './topology';
import { istioTrafficMetrics } from './trafficMetrics';

/**
 * The Istio {@link @meshstage/plugin-mesh-node#MeshAdapter}: finds istiod control planes (one per
 * revision), their versions and health, and the namespaces injected with `istio-proxy`.
 * @public
 */
export class IstioAdapter implements MeshAdapter {
  readonly id = 'istio';
  readonly displayName = 'Istio';
  readonly injection = istioInjection;
  /** The vendor's Helm charts (`mesh.charts`); see `charts.ts`. */
  readonly charts = istioCharts;
  /** Routing edges for the topology graph (VirtualServices, DestinationRules, Gateways, ServiceEntries). */
  readonly topology = istioTopology;
  /** PromQL for the topology graph's traffic edges; see `trafficMetrics.ts`. */
  readonly trafficMetrics = istioTrafficMetrics;

  supportedVersions(): string[] {
    return [...ISTIO_SUPPORTED_VERSIONS];
  }

  analyzers(): Analyzer[] {
    return istioAnalyzers();
  }

  /**
   * Istio's mesh-wide settings files (mesh config, mesh networks): what `meshstage validate
   * --mesh-config/--mesh-networks` reads, and where a cluster keeps them, for
   * `@meshstage/validation`'s cluster validation.
   */
  settingsFiles() {
    return [ISTIO_MESH_CONFIG, ISTIO_MESH_NETWORKS];
  }

  async detect(cluster: MeshClusterView): Promise<MeshDetection> {
    // Independent reads, in parallel so a slow cluster costs one round trip, not five. The
    // PeerAuthentication CRD may not be installed: such a list is empty, not an error.
    const [deployments, namespaces, pods, peerAuthentications, tagWebhooks] =
      await Promise.all([
        cluster.list<KubeDeployment>(kubeResources.deployments, {
          labelSelector: `${ISTIOD_APP_LABEL}=${ISTIOD_APP_VALUE}`,
        }),
        cluster.list<KubeNamespace>(kubeResources.namespaces),
        cluster.list<KubePod>(kubeResources.pods),
        cluster.list(PEER_AUTHENTICATIONS),
        cluster.list(kubeResources.mutatingWebhookConfigurations, {
          labelSelector: TAG_LABEL,
        }),
      ]);
    return detectIstio({
      deployments,
      namespaces,
      pods,
      peerAuthentications,
      tagWebhooks,
    });
  }

  /** Plans install, uninstall, onboard/offboard, canary or in-place upgrade and rollback; see `planIstio`. */
  sampleApps(): SampleApp[] {
    return [...istioSampleApps];
  }

  async plan(request: LifecycleRequest, ctx: PlanContext): Promise<Plan> {
    return planIstio(request, ctx, ISTIO_SUPPORTED_VERSIONS);
  }
}
