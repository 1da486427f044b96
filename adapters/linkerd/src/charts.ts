import type { MeshChartsDeclaration } from '@meshstage/plugin-mesh-node';

/**
 * Linkerd's own Helm charts, which MeshStage installs with `mesh.charts.source: helm`:
 * `linkerd-crds` then `linkerd-control-plane`, from Linkerd's documented stable and edge Helm
 * repositories. The repositories are only the defaults: `mesh.charts.repositories.linkerd`
 * (`{ stable, edge }`), a mirror (`<mirror>/linkerd/stable`, `<mirror>/linkerd/edge`) or a
 * local directory of archives replace them.
 *
 * Linkerd's chart versions differ from its versions: the control-plane chart's `appVersion`
 * names the Linkerd version (`edge-26.8.3` is chart 2026.8.3; `stable-2.14.10` is 1.16.11).
 * `linkerd-crds` carries no appVersion: on edge it has the control plane's chart version; on
 * stable the pairs are pinned.
 * @public
 */
export const linkerdCharts: MeshChartsDeclaration = {
  channelOrder: ['stable', 'edge'],
  sources: [
    {
      id: 'stable',
      repository: 'https://helm.linkerd.io/stable',
      channel: 'stable',
      versions: '>=2.14.0 <3.0.0',
      meshVersionFrom: 'appVersion',
      versionChart: 'linkerd-control-plane',
      charts: [{ name: 'linkerd-crds' }, { name: 'linkerd-control-plane' }],
      pins: { 'stable-2.14.10': { 'linkerd-crds': '1.8.0' } },
    },
    {
      id: 'edge',
      repository: 'https://helm.linkerd.io/edge',
      channel: 'edge',
      versions: '>=24.11.0',
      meshVersionFrom: 'appVersion',
      versionChart: 'linkerd-control-plane',
      charts: [
        { name: 'linkerd-crds', match: 'chartVersion' },
        { name: 'linkerd-control-plane' },
      ],
    },
  ],
};
