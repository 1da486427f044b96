import { describeCluster } from './describeCluster';
import { MisconfiguredClusterClient } from './MisconfiguredClusterClient';

describe('describeCluster', () => {
  it('describes a reachable cluster with its version and title', async () => {
    expect(
      await describeCluster({
        name: 'prod',
        title: 'Production',
        url: 'https://prod',
        serverVersion: async () => 'v1.31.4',
        list: async () => [],
      }),
    ).toEqual({
      name: 'prod',
      title: 'Production',
      url: 'https://prod',
      reachable: true,
      serverVersion: 'v1.31.4',
    });
  });

  it('describes a misconfigured cluster with the reason instead of failing', async () => {
    const client = new MisconfiguredClusterClient(
      { name: 'eks', url: 'https://eks' },
      "cluster 'eks' cannot be used: authProvider 'aws' is not supported by MeshStage yet; use 'serviceAccount'",
    );
    expect(await describeCluster(client)).toEqual({
      name: 'eks',
      url: 'https://eks',
      reachable: false,
      error:
        "cluster 'eks' cannot be used: authProvider 'aws' is not supported by MeshStage yet; use 'serviceAccount'",
    });
  });
});
