/**
 * The `config.linkerd.io/opaque-ports` annotation Linkerd's proxy injector writes on Pods and
 * Services it admits without one (linkerd2 controller/proxy-injector and pkg/inject): the
 * namespace's value, else the default opaque ports the object exposes. Static files have not been
 * through the injector yet, so the analyzer applies it before comparing as `linkerd check` does.
 * Pure.
 */
import type {
  OpaqueContainerPort,
  OpaqueServicePort,
} from './opaquePortsCheck';

/** Linkerd's default `proxy.opaquePorts`. */
export const DEFAULT_OPAQUE_PORTS = [
  '25',
  '587',
  '3306',
  '4444',
  '5432',
  '6379',
  '9300',
  '11211',
];

/**
 * Whether the injector's webhook sees an object, by the chart's default selectors: never in
 * namespaces labelled `config.linkerd.io/admission-webhooks: disabled` (the control plane's),
 * kube-system or cert-manager, never control-plane or CNI objects.
 */
export function injectorAdmits(
  namespace: string,
  namespaceLabels: Record<string, string>,
  objectLabels: Record<string, string>,
): boolean {
  return !(
    namespaceLabels['config.linkerd.io/admission-webhooks'] === 'disabled' ||
    namespace === 'kube-system' ||
    namespace === 'cert-manager' ||
    'linkerd.io/control-plane-component' in objectLabels ||
    'linkerd.io/cni-resource' in objectLabels
  );
}

/**
 * The pod's annotation after admission: its own, else the namespace's, else the default opaque
 * ports among its container ports (no annotation when there are none).
 */
export function admittedPodOpaquePorts(
  own: string | undefined,
  namespaceValue: string | undefined,
  containerPorts: OpaqueContainerPort[],
): string | undefined {
  if (own !== undefined) return own;
  if (namespaceValue !== undefined) return namespaceValue;
  const ports = containerPorts
    .map(p => String(p.containerPort))
    .filter(p => DEFAULT_OPAQUE_PORTS.includes(p));
  return ports.length ? ports.join(',') : undefined;
}

/**
 * The Service's annotation after admission: its own, else the namespace's, else each port whose
 * numeric targetPort is a default opaque port (a named targetPort never makes a port opaque here).
 */
export function admittedServiceOpaquePorts(
  own: string | undefined,
  namespaceValue: string | undefined,
  ports: OpaqueServicePort[],
): string | undefined {
  if (own !== undefined) return own;
  if (namespaceValue !== undefined) return namespaceValue;
  const opaque = ports
    .filter(
      p =>
        typeof p.targetPort === 'number' &&
        DEFAULT_OPAQUE_PORTS.includes(String(p.targetPort)),
    )
    .map(p => String(p.port));
  return opaque.length ? opaque.join(',') : undefined;
}
