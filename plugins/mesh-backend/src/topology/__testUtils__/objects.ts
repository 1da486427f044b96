import type {
  KubeDeployment,
  KubeObject,
  KubePod,
  MeshAdapter,
  MeshTopologyRules,
} from '@meshstage/plugin-mesh-node';
import { fakeAdapter } from '../../status/testAdapters';
import type { ClusterSnapshot } from '../snapshot';

/** A Deployment whose pods carry `labels` (its selector is the same labels). */
export function deployment(
  name: string,
  namespace: string,
  labels: Record<string, string>,
  options: {
    replicas?: number;
    kind?: string;
    meta?: Record<string, string>;
  } = {},
): KubeDeployment {
  return {
    apiVersion: 'apps/v1',
    kind: options.kind ?? 'Deployment',
    metadata: { name, namespace, labels: options.meta ?? labels },
    spec: {
      replicas: options.replicas ?? 1,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [] } },
    },
  };
}

/** A pod of a workload; `proxy` adds an `istio-proxy` sidecar of that version. */
export function pod(
  name: string,
  namespace: string,
  labels: Record<string, string>,
  options: { ready?: boolean; proxy?: string } = {},
): KubePod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels },
    spec: {
      containers: [
        { name: 'app', image: 'app:1' },
        ...(options.proxy
          ? [
              {
                name: 'istio-proxy',
                image: `docker.io/istio/proxyv2:${options.proxy}`,
              },
            ]
          : []),
      ],
    },
    status: {
      phase: 'Running',
      conditions: [
        { type: 'Ready', status: options.ready === false ? 'False' : 'True' },
      ],
    },
  };
}

export function service(
  name: string,
  namespace: string,
  selector: Record<string, string> | undefined,
  labels: Record<string, string> = {},
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace, labels },
    spec: selector ? { selector } : {},
  };
}

/**
 * An app as bookinfo's are shaped: a Service `name` selecting `app=<name>`, and one Deployment per
 * version (`<name>-<version>`) with one ready pod each, labelled for the Kubernetes plugin.
 */
export function app(
  name: string,
  namespace: string,
  versions: string[] = ['v1'],
  options: { proxy?: string } = {},
) {
  const meta = { app: name, 'backstage.io/kubernetes-id': name };
  return {
    services: [service(name, namespace, { app: name }, meta)],
    workloads: versions.map(v =>
      deployment(`${name}-${v}`, namespace, { ...meta, version: v }),
    ),
    pods: versions.map(v =>
      pod(`${name}-${v}-abc`, namespace, { ...meta, version: v }, options),
    ),
  };
}

export function snapshot(
  cluster: string,
  parts: Array<Partial<Omit<ClusterSnapshot, 'cluster'>>>,
): ClusterSnapshot {
  return {
    cluster,
    namespaces: parts.flatMap(p => p.namespaces ?? []),
    pods: parts.flatMap(p => p.pods ?? []),
    workloads: parts.flatMap(p => p.workloads ?? []),
    services: parts.flatMap(p => p.services ?? []),
    routing: parts.flatMap(p => p.routing ?? []),
  };
}

/** An adapter whose proxy container is `<id>-proxy`, with the given topology rules. */
export function topologyAdapter(
  id: string,
  topology?: MeshTopologyRules,
): MeshAdapter {
  return {
    ...fakeAdapter(id, [`${id}-proxy`]),
    ...(topology ? { topology } : {}),
  };
}
