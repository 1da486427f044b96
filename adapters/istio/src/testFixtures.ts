import type {
  KubeDeployment,
  KubeNamespace,
  KubePod,
} from '@meshstage/plugin-mesh-node';

// Builders for the objects Istio detection reads, shaped as the API server returns them.

export function istiod(options: {
  name?: string;
  namespace?: string;
  image?: string;
  revision?: string;
  replicas?: number;
  readyReplicas?: number;
}): KubeDeployment {
  const labels: Record<string, string> = { app: 'istiod' };
  if (options.revision) labels['istio.io/rev'] = options.revision;
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: options.name ?? 'istiod',
      namespace: options.namespace ?? 'istio-system',
      labels,
    },
    spec: {
      replicas: options.replicas ?? 1,
      template: {
        metadata: { labels },
        spec: {
          containers: [
            {
              name: 'discovery',
              image: options.image ?? 'docker.io/istio/pilot:1.24.2',
            },
          ],
        },
      },
    },
    status: { readyReplicas: options.readyReplicas ?? options.replicas ?? 1 },
  };
}

export function namespace(
  name: string,
  labels: Record<string, string> = {},
): KubeNamespace {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } };
}

export function pod(name: string, ns: string, proxyImage?: string): KubePod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: ns },
    spec: {
      containers: [
        {
          name: 'app',
          image: 'docker.io/istio/examples-bookinfo-details-v1:1.20.2',
        },
        ...(proxyImage ? [{ name: 'istio-proxy', image: proxyImage }] : []),
      ],
    },
    status: { phase: 'Running' },
  };
}
