import type { MeshChartsDeclaration } from '@meshstage/plugin-mesh-node';

/**
 * Istio's own Helm charts, which MeshStage installs with `mesh.charts.source: helm`: `base`
 * (CRDs, cluster roles, the default validating webhook) and `istiod` (one control plane per
 * revision; revision tags through its `revisionTags` value), from Istio's documented Helm
 * repository. The repository is only the default: `mesh.charts.repositories.istio`, a mirror
 * (`<mirror>/istio/release`) or a local directory of archives replace it. Chart version = Istio
 * version. Note: 1.30 moved the images to `registry.istio.io/release` (1.29 used `docker.io/istio`);
 * the charts carry the right hub for their version.
 * @public
 */
export const istioCharts: MeshChartsDeclaration = {
  sources: [
    {
      id: 'release',
      repository: 'https://istio-release.storage.googleapis.com/charts',
      charts: [{ name: 'base' }, { name: 'istiod' }],
      versions: '>=1.23.0 <2.0.0',
      meshVersionFrom: 'version',
    },
  ],
};
