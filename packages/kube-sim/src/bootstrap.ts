import { ObjectApi } from './api/object-api';
import { KubeObject } from './api/types';
import { nowTimestamp } from './util/time';

export const NODE_NAME = 'kube-sim';
export const NODE_IP = '172.18.0.2';

/** What a fresh cluster has: system namespaces, one Ready node, the kubernetes Service. */
export function bootstrapObjects(
  gitVersion: string,
  now = Date.now(),
): { resource: string; namespace?: string; object: KubeObject }[] {
  const ts = nowTimestamp(now);
  const ns = (name: string) => ({
    resource: 'namespaces',
    object: { apiVersion: 'v1', kind: 'Namespace', metadata: { name } },
  });
  const condition = (
    type: string,
    status: string,
    reason: string,
    message: string,
  ) => ({
    type,
    status,
    lastHeartbeatTime: ts,
    lastTransitionTime: ts,
    reason,
    message,
  });
  return [
    ns('default'),
    ns('kube-system'),
    ns('kube-public'),
    ns('kube-node-lease'),
    {
      resource: 'nodes',
      object: {
        apiVersion: 'v1',
        kind: 'Node',
        metadata: {
          name: NODE_NAME,
          labels: {
            'beta.kubernetes.io/arch': 'amd64',
            'beta.kubernetes.io/os': 'linux',
            'kubernetes.io/arch': 'amd64',
            'kubernetes.io/hostname': NODE_NAME,
            'kubernetes.io/os': 'linux',
            'node-role.kubernetes.io/control-plane': '',
          },
          annotations: { 'node.alpha.kubernetes.io/ttl': '0' },
        },
        spec: { podCIDR: '10.244.0.0/16', podCIDRs: ['10.244.0.0/16'] },
        status: {
          capacity: {
            cpu: '8',
            'ephemeral-storage': '102400000Ki',
            memory: '32Gi',
            pods: '1100',
          },
          allocatable: {
            cpu: '8',
            'ephemeral-storage': '102400000Ki',
            memory: '32Gi',
            pods: '1100',
          },
          conditions: [
            condition(
              'MemoryPressure',
              'False',
              'KubeletHasSufficientMemory',
              'kubelet has sufficient memory available',
            ),
            condition(
              'DiskPressure',
              'False',
              'KubeletHasNoDiskPressure',
              'kubelet has no disk pressure',
            ),
            condition(
              'PIDPressure',
              'False',
              'KubeletHasSufficientPID',
              'kubelet has sufficient PID available',
            ),
            condition(
              'Ready',
              'True',
              'KubeletReady',
              'kubelet is posting ready status (simulated by kube-sim)',
            ),
          ],
          addresses: [
            { type: 'InternalIP', address: NODE_IP },
            { type: 'Hostname', address: NODE_NAME },
          ],
          daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
          nodeInfo: {
            architecture: 'amd64',
            bootID: 'kube-sim',
            containerRuntimeVersion: 'kube-sim://simulated',
            kernelVersion: '6.1.0-kube-sim',
            kubeProxyVersion: gitVersion,
            kubeletVersion: gitVersion,
            machineID: 'kube-sim',
            operatingSystem: 'linux',
            osImage: 'kube-sim (simulated node)',
            systemUUID: 'kube-sim',
          },
        },
      },
    },
    {
      resource: 'services',
      namespace: 'default',
      object: {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: {
          name: 'kubernetes',
          namespace: 'default',
          labels: { component: 'apiserver', provider: 'kubernetes' },
        },
        spec: {
          clusterIP: '10.96.0.1',
          ports: [
            { name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 },
          ],
        },
      },
    },
  ];
}

/** Creates the bootstrap objects that do not exist yet (fresh state). */
export function bootstrap(api: ObjectApi, gitVersion: string): void {
  for (const b of bootstrapObjects(gitVersion)) {
    const type = api.registry
      .all()
      .find(t => t.plural === b.resource && t.group === '')!;
    if (
      api.tryGet(
        type,
        b.namespace ?? '',
        String((b.object.metadata as { name: string }).name),
      )
    )
      continue;
    const created = api.create(type, b.namespace ?? '', b.object, {
      fieldManager: 'kube-apiserver',
    });
    if (b.resource === 'nodes') {
      api.update(
        type,
        '',
        'kube-sim',
        { ...created, status: b.object.status },
        { fieldManager: 'kubelet' },
        'status',
      );
    }
  }
}
