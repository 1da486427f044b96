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
import { linkerdAnalyzers } from './analyzers';
import { controlPlaneNamespaces, detectLinkerd } from './detect';
import { linkerdSampleApps } from './samples';
import { linkerdInjection } from './injection';
import { planLinkerd } from './manifests';
import { LINKERD_SUPPORTED_VERSIONS } from './versions';
import { linkerdCharts } from './charts';
import { linkerdTopology } from './topology';
import { linkerdTrafficMetrics } from './trafficMetrics';

/**
 * The Linkerd {@link @meshstage/plugin-mesh-node#MeshAdapter}: finds Linkerd's control plane,
 * its version and health, and the namespaces injected with `linkerd-proxy`.
 * @public
 */
export class LinkerdAdapter implements MeshAdapter {
  readonly id = 'linkerd';
  readonly displayName = 'Linkerd';
  readonly injection = linkerdInjection;
  /** The vendor's Helm charts (`mesh.charts`); see `charts.ts`. */
  readonly charts = linkerdCharts;
  /** Routing edges for the topology graph (GAMMA HTTPRoutes/GRPCRoutes, ServiceProfile splits). */
  readonly topology = linkerdTopology;
  /** PromQL for the topology graph's traffic edges; see `trafficMetrics.ts`. */
  readonly trafficMetrics = linkerdTrafficMetrics;

  supportedVersions(): string[] {
    return [...LINKERD_SUPPORTED_VERSIONS];
  }

  analyzers(): Analyzer[] {
    return linkerdAnalyzers();
  }

  async detect(cluster: MeshClusterView): Promise<MeshDetection> {
    const [namespaces, pods] = await Promise.all([
      cluster.list<KubeNamespace>(kubeResources.namespaces),
      cluster.list<KubePod>(kubeResources.pods),
    ]);
    // Only the control-plane namespace's Deployments and ConfigMaps matter; usually there is one.
    const controlPlane = controlPlaneNamespaces(namespaces);
    const [deployments, configMaps] = await Promise.all([
      Promise.all(
        controlPlane.map(namespace =>
          cluster.list<KubeDeployment>(kubeResources.deployments, {
            namespace,
          }),
        ),
      ).then(lists => lists.flat()),
      Promise.all(
        controlPlane.map(namespace =>
          cluster.list(kubeResources.configMaps, { namespace }),
        ),
      ).then(lists => lists.flat()),
    ]);
    return detectLinkerd({ namespaces, deployments, pods, configMaps });
  }

  /** Plans install, uninstall, onboard/offboard, in-place upgrade and rollback; see `planLinkerd`. */
  sampleApps(): SampleApp[] {
    return [...linkerdSampleApps];
  }

  async plan(request: LifecycleRequest, ctx: PlanContext): Promise<Plan> {
    return planLinkerd(request, ctx, LINKERD_SUPPORTED_VERSIONS);
  }
}
