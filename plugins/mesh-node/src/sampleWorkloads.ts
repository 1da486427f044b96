import type { PlanObject } from '@meshstage/plugin-mesh-common';
import type { SampleApp } from './sampleApps';

/** One microservice of a sample app: a ServiceAccount, a Deployment and (with a port) a Service. @public */
export interface SampleWorkload {
  /** Deployment name, e.g. `reviews-v2`. */
  name: string;
  /** The `app` label and Service name, e.g. `reviews`. */
  app: string;
  version?: string;
  image: string;
  /** The container port, also the Service port. */
  port?: number;
  /** Service port name; the protocol prefix matters to meshes (`http`, `grpc`). */
  portName?: string;
  /** Service name when it differs from `app` (emojivoto's `web-svc`). */
  serviceName?: string;
  serviceAccount?: string;
  replicas?: number;
  env?: Record<string, string>;
  args?: string[];
}

/**
 * The objects of sample workloads in a namespace: ServiceAccounts first, then Services (one per
 * `app`, selecting every version), then Deployments, as `kubectl apply -f` of a sample would.
 * @public
 */
export function sampleWorkloadObjects(
  namespace: string,
  workloads: SampleWorkload[],
): PlanObject[] {
  const accounts = new Set<string>();
  const services = new Map<string, PlanObject>();
  const deployments: PlanObject[] = [];
  for (const w of workloads) {
    const labels = { app: w.app, ...(w.version ? { version: w.version } : {}) };
    if (w.serviceAccount) accounts.add(w.serviceAccount);
    const serviceName = w.serviceName ?? w.app;
    if (w.port && !services.has(serviceName)) {
      services.set(serviceName, {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: serviceName, namespace, labels: { app: w.app } },
        spec: {
          selector: { app: w.app },
          ports: [
            {
              name: w.portName ?? 'http',
              port: w.port,
              targetPort: w.port,
            },
          ],
        },
      });
    }
    deployments.push({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: w.name, namespace, labels },
      spec: {
        replicas: w.replicas ?? 1,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            ...(w.serviceAccount
              ? { serviceAccountName: w.serviceAccount }
              : {}),
            containers: [
              {
                name: w.app,
                image: w.image,
                ...(w.args ? { args: w.args } : {}),
                ...(w.port ? { ports: [{ containerPort: w.port }] } : {}),
                ...(w.env
                  ? {
                      env: Object.entries(w.env).map(([name, value]) => ({
                        name,
                        value,
                      })),
                    }
                  : {}),
              },
            ],
          },
        },
      },
    });
  }
  return [
    ...[...accounts].sort().map(name => ({
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name, namespace },
    })),
    ...services.values(),
    ...deployments,
  ];
}

/**
 * MeshStage's echo service (`meshstage/echo`, the load generator's `meshperf server` mode) as a
 * two-replica sample: the target for benchmarks through a mesh. Every adapter can offer it.
 * @public
 */
export const echoSampleApp: SampleApp = {
  id: 'echo',
  displayName: 'Echo',
  description:
    'Two replicas of the meshstage/echo HTTP service, the target for benchmarks through the mesh',
  defaultNamespace: 'echo',
  objects: namespace =>
    sampleWorkloadObjects(namespace, [
      {
        name: 'echo',
        app: 'echo',
        image: 'meshstage/echo:0.1.0',
        port: 8080,
        portName: 'http',
        serviceAccount: 'echo',
        replicas: 2,
      },
    ]),
};
