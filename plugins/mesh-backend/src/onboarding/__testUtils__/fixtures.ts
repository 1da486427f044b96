import type { Entity } from '@backstage/catalog-model';
import type {
  OperationState,
  NamespaceRequest,
} from '@meshstage/plugin-mesh-common';
import type { KubeNamespace, KubePod } from '@meshstage/plugin-mesh-node';
import type { OnboardingOperation } from '../types';

/** A Component with the given annotations, in the default namespace. */
export function component(
  name: string,
  annotations: Record<string, string>,
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', annotations },
    spec: { type: 'service', owner: 'guests', lifecycle: 'production' },
  };
}

/** A Namespace with labels and annotations. */
export function namespace(
  name: string,
  labels: Record<string, string> = {},
  annotations: Record<string, string> = {},
): KubeNamespace {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name, labels, annotations },
  };
}

/**
 * A running pod labelled `backstage.io/kubernetes-id=<app>`, owned by a ReplicaSet (a
 * Deployment's) unless `owner` says otherwise, with the named proxy container when given.
 */
export function pod(
  ns: string,
  name: string,
  app: string,
  options: {
    proxy?: 'istio-proxy' | 'linkerd-proxy';
    owner?: 'ReplicaSet' | 'StatefulSet' | 'none';
    deleting?: boolean;
  } = {},
): KubePod {
  const owner = options.owner ?? 'ReplicaSet';
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: ns,
      labels: { 'backstage.io/kubernetes-id': app },
      ...(owner !== 'none' && {
        ownerReferences: [
          {
            apiVersion: 'apps/v1',
            kind: owner,
            name: `${app}-owner`,
            uid: `${app}-uid`,
            controller: true,
          },
        ],
      }),
      ...(options.deleting && {
        deletionTimestamp: '2026-01-01T00:00:00Z',
      }),
    },
    spec: {
      containers: [
        { name: app, image: `example/${app}:1` },
        ...(options.proxy
          ? [{ name: options.proxy, image: `proxy/${options.proxy}:1.24.2` }]
          : []),
      ],
    },
    status: { phase: 'Running' },
  } as KubePod;
}

let counter = 0;

/** An operation the onboarding started, as the store returns it. */
export function onboardingOp(
  request: Omit<NamespaceRequest, 'cluster'> & { cluster?: string },
  entityRefs: string[],
  state: OperationState,
  options: { createdAt?: string; finishedAt?: string; error?: string } = {},
): OnboardingOperation {
  counter++;
  const full: NamespaceRequest = { cluster: 'dev', ...request };
  const createdAt =
    options.createdAt ??
    new Date(Date.UTC(2026, 0, 1, 0, counter)).toISOString();
  return {
    id: `00000000-0000-4000-8000-${String(counter).padStart(12, '0')}`,
    cluster: full.cluster,
    mesh: full.mesh,
    action: full.action,
    request: full,
    plan: { request: full, summary: 'test', steps: [] },
    summary: `${full.action} ${full.namespace}`,
    state,
    createdBy: 'service:plugin:mesh',
    createdAt,
    updatedAt: options.finishedAt ?? createdAt,
    ...(options.finishedAt && { finishedAt: options.finishedAt }),
    ...(options.error && { error: options.error }),
    run: 1,
    cause: { kind: 'onboarding', entityRefs },
  };
}
