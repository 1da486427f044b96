import type {
  AnalyzerInput,
  FindingCodeInfo,
  KubeObject,
  Snapshot,
} from '@meshstage/plugin-mesh-node';
import {
  podTemplates,
  podTemplatesMatching,
  selectorMatches,
} from '@meshstage/plugin-mesh-node';

/** The Istio networking API version read and fetched (any version of the group is seen). */
export const NETWORKING = 'networking.istio.io/v1';
/** The Istio security API version. */
export const SECURITY = 'security.istio.io/v1';
import { ISTIO_SYSTEM } from '../constants';
import { meshConfigOf } from './meshConfig';

/** The control plane's namespace, where istioctl looks for its ConfigMaps and default gateway. */
export { ISTIO_SYSTEM };

export const inputs = {
  virtualService: { apiVersion: NETWORKING, kind: 'VirtualService' },
  destinationRule: { apiVersion: NETWORKING, kind: 'DestinationRule' },
  gateway: { apiVersion: NETWORKING, kind: 'Gateway' },
  serviceEntry: {
    apiVersion: NETWORKING,
    kind: 'ServiceEntry',
    plural: 'serviceentries',
  },
  sidecar: { apiVersion: NETWORKING, kind: 'Sidecar' },
  workloadEntry: {
    apiVersion: NETWORKING,
    kind: 'WorkloadEntry',
    plural: 'workloadentries',
  },
  envoyFilter: {
    apiVersion: 'networking.istio.io/v1alpha3',
    kind: 'EnvoyFilter',
  },
  peerAuthentication: { apiVersion: SECURITY, kind: 'PeerAuthentication' },
  authorizationPolicy: {
    apiVersion: SECURITY,
    kind: 'AuthorizationPolicy',
    plural: 'authorizationpolicies',
  },
  requestAuthentication: {
    apiVersion: SECURITY,
    kind: 'RequestAuthentication',
  },
  telemetry: { apiVersion: 'telemetry.istio.io/v1', kind: 'Telemetry' },
  service: { apiVersion: 'v1', kind: 'Service' },
  secret: { apiVersion: 'v1', kind: 'Secret' },
  namespace: { apiVersion: 'v1', kind: 'Namespace' },
  pod: { apiVersion: 'v1', kind: 'Pod' },
} satisfies Record<string, AnalyzerInput>;

/** A finding code of the Istio adapter; every one documented in docs/validation-codes.md. */
export type IstioCode = FindingCodeInfo;

/** The spec of an object, loosely typed: analyzers read user input, which may be any shape. */
export function specOf(obj: KubeObject): Record<string, any> {
  const spec = obj.spec;
  return spec && typeof spec === 'object' ? (spec as Record<string, any>) : {};
}

/** An array field, or `[]` when absent or not an array (schema problems are MS0217's job). */
export function arr<T = any>(value: unknown): T[] {
  return Array.isArray(value) ? (value as T[]) : [];
}

/**
 * The fully-qualified name of a host as Istio reads it in a resource of `namespace`: a short name
 * (`reviews`) is expanded to `reviews.<namespace>.svc.cluster.local`; anything with a dot is kept.
 */
export function fqdn(host: string, namespace: string | undefined): string {
  return host.includes('.')
    ? host
    : `${host}.${namespace ?? 'default'}.svc.cluster.local`;
}

/** Whether a host matches a host pattern with an optional leading `*` wildcard. */
export function hostMatches(pattern: string, host: string): boolean {
  if (pattern === '*') return true;
  if (pattern.startsWith('*')) return host.endsWith(pattern.slice(1));
  return pattern === host;
}

/**
 * The hosts known to the mesh in a snapshot: Kubernetes Services (by FQDN, and by
 * `name.namespace` and `name.namespace.svc`, which resolve through DNS search paths) and
 * ServiceEntry hosts. Exact hosts are a Set lookup; only wildcard patterns are scanned.
 */
export class HostIndex {
  readonly #exact = new Map<string, KubeObject>();
  readonly #wildcards: Array<{ pattern: string; obj: KubeObject }> = [];

  constructor(snapshot: Snapshot) {
    for (const svc of snapshot.list('v1', 'Service')) {
      const { name, namespace } = svc.metadata;
      for (const h of [
        `${name}.${namespace}.svc.cluster.local`,
        `${name}.${namespace}.svc`,
        `${name}.${namespace}`,
      ]) {
        this.#exact.set(h, svc);
      }
    }
    for (const se of snapshot.list(NETWORKING, 'ServiceEntry')) {
      for (const h of arr<string>(specOf(se).hosts)) {
        if (typeof h !== 'string') continue;
        if (h.startsWith('*')) this.#wildcards.push({ pattern: h, obj: se });
        else this.#exact.set(fqdn(h, se.metadata.namespace), se);
      }
    }
  }

  /** The Service or ServiceEntry that defines `host` (already a FQDN), if any. */
  find(host: string): KubeObject | undefined {
    const exact = this.#exact.get(host);
    if (exact) return exact;
    if (host.startsWith('*')) {
      // A wildcard destination is fine when some known host falls under it.
      for (const h of this.#exact.keys())
        if (hostMatches(host, h)) return this.#exact.get(h);
    }
    return this.#wildcards.find(w => hostMatches(w.pattern, host))?.obj;
  }

  /** The Kubernetes Service behind a host, if it is one. */
  service(host: string): KubeObject | undefined {
    const obj = this.#exact.get(host);
    return obj?.kind === 'Service' ? obj : undefined;
  }
}

/** Labels of every workload in a namespace (or all namespaces), including WorkloadEntries. */
export function workloadLabels(
  snapshot: Snapshot,
  namespace?: string,
): Array<Record<string, string>> {
  const labels = podTemplates(snapshot, namespace).map(t => t.labels);
  for (const we of snapshot.list(NETWORKING, 'WorkloadEntry', namespace)) {
    labels.push(
      (specOf(we).labels as Record<string, string>) ?? we.metadata.labels ?? {},
    );
  }
  return labels;
}

/** Whether any workload in scope matches `matchLabels`. */
export function anyWorkloadMatches(
  snapshot: Snapshot,
  matchLabels: Record<string, string>,
  namespace?: string,
): boolean {
  // Pod templates through the per-snapshot label index (a scan per selector is quadratic).
  if (podTemplatesMatching(snapshot, { matchLabels }, namespace).length > 0)
    return true;
  return snapshot
    .list(NETWORKING, 'WorkloadEntry', namespace)
    .some(we =>
      selectorMatches(
        { matchLabels },
        (specOf(we).labels as Record<string, string>) ??
          we.metadata.labels ??
          {},
      ),
    );
}

/** Whether the snapshot holds any workload at all (else selector checks cannot conclude). */
export function hasWorkloads(snapshot: Snapshot): boolean {
  return workloadLabels(snapshot).length > 0;
}

/**
 * What `istioctl analyze` assumes when it reads files without a cluster: Istio's default ingress
 * gateway, a Pod labelled `istio: ingressgateway` in `istio-system` behind a Service named by the
 * mesh config's `ingressService` (`istio-ingressgateway`; ports 80, 443, 31400, 15443). Gateways
 * selecting it are not reported as selecting nothing, and their credentials are looked up in
 * `istio-system`.
 */
export const DEFAULT_INGRESS_GATEWAY = {
  namespace: ISTIO_SYSTEM,
  labels: { istio: 'ingressgateway' } as Record<string, string>,
  /** The ports of its Service (`port` → `targetPort`, all TCP). */
  ports: [
    { port: 80, targetPort: 80 },
    { port: 443, targetPort: 443 },
    { port: 31400, targetPort: 31400 },
    { port: 15443, targetPort: 15443 },
  ],
};

/**
 * Whether istioctl would assume {@link DEFAULT_INGRESS_GATEWAY}: on files without a cluster, unless
 * the mesh config turns the ingress controller off (`ingressControllerMode: OFF`).
 */
export function assumesDefaultIngressGateway(
  snapshot: Snapshot,
  includesCluster: boolean,
): boolean {
  return (
    !includesCluster && meshConfigOf(snapshot).ingressControllerMode !== 'OFF'
  );
}

/**
 * Namespaces of the gateway workloads a Gateway `selector` picks, as istioctl finds them: Pods
 * first; then pod templates (Deployments etc., which a files-only run often has instead of Pods);
 * then, without a cluster, the default ingress gateway when the selector matches its labels.
 * Empty when nothing matches.
 */
export function gatewayWorkloadNamespaces(
  snapshot: Snapshot,
  selector: Record<string, string> | undefined,
  includesCluster: boolean,
): string[] {
  const sel = { matchLabels: selector ?? {} };
  const fromPods = snapshot
    .list('v1', 'Pod')
    .filter(p => selectorMatches(sel, p.metadata.labels ?? {}))
    .map(p => p.metadata.namespace ?? 'default');
  if (fromPods.length) return [...new Set(fromPods)];
  const fromTemplates = podTemplatesMatching(snapshot, sel).map(
    t => t.owner.metadata.namespace ?? 'default',
  );
  if (fromTemplates.length) return [...new Set(fromTemplates)];
  if (
    assumesDefaultIngressGateway(snapshot, includesCluster) &&
    selectorMatches(sel, DEFAULT_INGRESS_GATEWAY.labels)
  )
    return [DEFAULT_INGRESS_GATEWAY.namespace];
  return [];
}

/**
 * Whether labels mark an object as Istio's own (`istio: ...`, `release: istio`) or generated for a
 * managed gateway (`gateway.istio.io/managed`), which istioctl leaves out of its user-facing checks.
 */
export function isIstioOwned(labels: Record<string, string>): boolean {
  const managed = labels['gateway.istio.io/managed'];
  return (
    'istio' in labels ||
    labels.release === 'istio' ||
    managed === 'istio.io-gateway-controller' ||
    managed === 'istio.io-mesh-controller' ||
    managed === 'istio.io-eastwest-controller'
  );
}
