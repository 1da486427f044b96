import type { KubeContainer, KubeObject, KubePod, KubePodSpec } from './kube';

/**
 * The containers that run for the life of a pod: its regular containers and its native sidecars
 * (init containers with `restartPolicy: Always`, which is how Istio 1.28+ and Linkerd 2.15+ can
 * run their proxies). One-shot init containers are left out.
 * @public
 */
export function podContainers(
  pod: KubeObject<KubePodSpec, unknown>,
): KubeContainer[] {
  const sidecars = (pod.spec?.initContainers ?? []).filter(
    c => c.restartPolicy === 'Always',
  );
  return [...sidecars, ...(pod.spec?.containers ?? [])];
}

/**
 * The mesh proxy container of a pod, if it runs one whose name is in `proxyContainerNames`.
 * @public
 */
export function findProxyContainer(
  pod: KubeObject<KubePodSpec, unknown>,
  proxyContainerNames: readonly string[],
): KubeContainer | undefined {
  return podContainers(pod).find(c => proxyContainerNames.includes(c.name));
}

/** Whether a pod's `Ready` condition is true. @public */
export function isPodReady(pod: KubePod): boolean {
  return Boolean(
    pod.status?.conditions?.some(
      c => c.type === 'Ready' && c.status === 'True',
    ),
  );
}
