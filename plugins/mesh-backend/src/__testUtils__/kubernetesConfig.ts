/** A test cluster: a kube-sim (its `url` and `token`) or a URL nothing answers on. */
export interface TestCluster {
  name: string;
  url: string;
  token?: string;
}

/**
 * The Kubernetes plugin's configuration for test clusters, as the mesh backend reads it
 * (`kubernetes.clusterLocatorMethods`, `type: config`, service-account tokens). TLS is not
 * verified: kube-sim's CA differs per instance.
 */
export function kubernetesClustersConfig(clusters: TestCluster[]) {
  return {
    kubernetes: {
      clusterLocatorMethods: [
        {
          type: 'config',
          clusters: clusters.map(c => ({
            name: c.name,
            url: c.url,
            authProvider: 'serviceAccount',
            serviceAccountToken: c.token ?? 'unused',
            skipTLSVerify: true,
          })),
        },
      ],
    },
  };
}
