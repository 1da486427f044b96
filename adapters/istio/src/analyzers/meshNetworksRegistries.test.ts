import { brief, run } from './__testUtils__/run';
import { meshNetworksRegistriesAnalyzer } from './meshNetworksRegistries';

/** MeshNetworks as `--mesh-networks` puts it in the snapshot. */
const meshNetworks = (registries: string[]) => `---
apiVersion: mesh.istio.io/v1alpha1
kind: MeshNetworks
metadata: {name: meshnetworks, namespace: istio-system}
spec:
  networks:
    east:
      endpoints:
${registries.map(r => `        - fromRegistry: ${r}`).join('\n')}
      gateways: [{address: 10.0.0.1, port: 15443}]
`;
const remoteSecret = `---
apiVersion: v1
kind: Secret
metadata: {name: istio-remote-secret-west, namespace: istio-system, labels: {istio/multiCluster: "true"}}
data: {west: YQ==}
`;

describe('MS0258 unknown MeshNetworks service registry (IST0126)', () => {
  it('flags registries that are neither built in nor a remote cluster (case matters)', () => {
    expect(
      brief(
        run(
          meshNetworksRegistriesAnalyzer,
          meshNetworks(['kubernetes', 'west', 'north']) + remoteSecret,
        ),
      ).map(f => [f.code, f.istioCode, f.resource, f.path]),
    ).toEqual([
      [
        'MS0258',
        'IST0126',
        'MeshNetworks/istio-system/meshnetworks',
        '/spec/networks/east/endpoints/0/fromRegistry',
      ],
      [
        'MS0258',
        'IST0126',
        'MeshNetworks/istio-system/meshnetworks',
        '/spec/networks/east/endpoints/2/fromRegistry',
      ],
    ]);
  });

  it('is quiet for Kubernetes, remote clusters, CIDR endpoints and without MeshNetworks', () => {
    expect(
      run(
        meshNetworksRegistriesAnalyzer,
        meshNetworks(['Kubernetes', 'west']) + remoteSecret,
      ),
    ).toEqual([]);
    expect(run(meshNetworksRegistriesAnalyzer, remoteSecret)).toEqual([]);
  });
});
