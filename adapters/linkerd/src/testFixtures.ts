import type {
  KubeDeployment,
  KubeNamespace,
  KubePod,
} from '@meshstage/plugin-mesh-node';

// Builders for the objects Linkerd detection reads, shaped as the API server returns them.

export function controlPlaneDeployment(
  name: string,
  options: {
    namespace?: string;
    version?: string;
    versionLabel?: boolean;
    replicas?: number;
    readyReplicas?: number;
  } = {},
): KubeDeployment {
  const version = options.version ?? 'stable-2.14.10';
  const component = name.replace(/^linkerd-/, '');
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name,
      namespace: options.namespace ?? 'linkerd',
      labels: {
        'linkerd.io/control-plane-component': component,
        ...(options.versionLabel
          ? { 'linkerd.io/control-plane-version': version }
          : {}),
      },
    },
    spec: {
      replicas: options.replicas ?? 1,
      template: {
        spec: {
          containers: [
            {
              name: component,
              image: `cr.l5d.io/linkerd/controller:${version}`,
            },
            {
              name: 'linkerd-proxy',
              image: `cr.l5d.io/linkerd/proxy:${version}`,
            },
          ],
        },
      },
    },
    status: { readyReplicas: options.readyReplicas ?? options.replicas ?? 1 },
  };
}

export function fullControlPlane(
  options: Parameters<typeof controlPlaneDeployment>[1] = {},
): KubeDeployment[] {
  return [
    'linkerd-destination',
    'linkerd-identity',
    'linkerd-proxy-injector',
  ].map(name => controlPlaneDeployment(name, options));
}

export function namespace(
  name: string,
  options: {
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  } = {},
): KubeNamespace {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name,
      labels: options.labels ?? {},
      annotations: options.annotations ?? {},
    },
  };
}

export function pod(name: string, ns: string, proxyImage?: string): KubePod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: ns },
    spec: {
      containers: [
        { name: 'app', image: 'app:1' },
        ...(proxyImage ? [{ name: 'linkerd-proxy', image: proxyImage }] : []),
      ],
    },
    status: { phase: 'Running' },
  };
}
