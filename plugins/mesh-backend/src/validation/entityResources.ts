import type {
  AnalyzerInput,
  KubeObject,
  Snapshot,
} from '@meshstage/plugin-mesh-node';
import {
  labelsMatch,
  objectIdentity,
  podTemplateOf,
  resourceRef,
  selectorMatches,
} from '@meshstage/plugin-mesh-node';

/** Kinds an entity's own objects can be: listed with the entity's label selector. */
export const ENTITY_WORKLOAD_KINDS: readonly AnalyzerInput[] = [
  { apiVersion: 'v1', kind: 'Pod' },
  { apiVersion: 'v1', kind: 'Service' },
  { apiVersion: 'apps/v1', kind: 'Deployment' },
  { apiVersion: 'apps/v1', kind: 'StatefulSet' },
  { apiVersion: 'apps/v1', kind: 'DaemonSet' },
  { apiVersion: 'apps/v1', kind: 'ReplicaSet' },
  { apiVersion: 'batch/v1', kind: 'Job' },
  { apiVersion: 'batch/v1', kind: 'CronJob' },
];

/**
 * Kinds read whole to relate them to the entity's objects: owners of its pods, Services selecting
 * them, namespaces, and the mesh resources that select or route to them.
 */
export const ENTITY_CONTEXT_KINDS: readonly AnalyzerInput[] = [
  { apiVersion: 'v1', kind: 'Namespace' },
  { apiVersion: 'v1', kind: 'Service' },
  { apiVersion: 'apps/v1', kind: 'ReplicaSet' },
  { apiVersion: 'apps/v1', kind: 'Deployment' },
  { apiVersion: 'batch/v1', kind: 'Job' },
  { apiVersion: 'batch/v1', kind: 'CronJob' },
  { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService' },
  { apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule' },
  { apiVersion: 'networking.istio.io/v1', kind: 'Sidecar' },
  { apiVersion: 'networking.istio.io/v1alpha3', kind: 'EnvoyFilter' },
  { apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy' },
  { apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication' },
  { apiVersion: 'security.istio.io/v1', kind: 'RequestAuthentication' },
  { apiVersion: 'telemetry.istio.io/v1', kind: 'Telemetry' },
  { apiVersion: 'policy.linkerd.io/v1beta3', kind: 'Server' },
  { apiVersion: 'policy.linkerd.io/v1alpha1', kind: 'AuthorizationPolicy' },
];

/** Mesh kinds that apply to pods through a label selector, and where that selector is. */
const POD_SELECTING_KINDS: ReadonlyArray<{
  apiVersion: string;
  kind: string;
  selector: (spec: Record<string, any>) => Record<string, string> | undefined;
}> = [
  {
    apiVersion: 'security.istio.io/v1',
    kind: 'AuthorizationPolicy',
    selector: s => s.selector?.matchLabels,
  },
  {
    apiVersion: 'security.istio.io/v1',
    kind: 'PeerAuthentication',
    selector: s => s.selector?.matchLabels,
  },
  {
    apiVersion: 'security.istio.io/v1',
    kind: 'RequestAuthentication',
    selector: s => s.selector?.matchLabels,
  },
  {
    apiVersion: 'telemetry.istio.io/v1',
    kind: 'Telemetry',
    selector: s => s.selector?.matchLabels,
  },
  {
    apiVersion: 'networking.istio.io/v1',
    kind: 'Sidecar',
    selector: s => s.workloadSelector?.labels,
  },
  {
    apiVersion: 'networking.istio.io/v1alpha3',
    kind: 'EnvoyFilter',
    selector: s => s.workloadSelector?.labels,
  },
];

/**
 * A host as Istio resolves it from a resource in `namespace`: short names are relative to that
 * namespace, partial names get the cluster domain.
 */
export function qualifyHost(host: string, namespace: string): string {
  const parts = host.split('.');
  if (parts.length === 1) return `${host}.${namespace}.svc.cluster.local`;
  if (parts.length === 2) return `${host}.svc.cluster.local`;
  if (parts.length === 3 && parts[2] === 'svc') return `${host}.cluster.local`;
  return host;
}

/** Every destination host of a VirtualService's http, tcp and tls routes (and mirrors). */
function virtualServiceHosts(spec: Record<string, any>): string[] {
  const hosts: string[] = [...(spec.hosts ?? [])];
  for (const section of ['http', 'tcp', 'tls']) {
    for (const route of spec[section] ?? []) {
      for (const r of route.route ?? []) {
        if (r?.destination?.host) hosts.push(r.destination.host);
      }
      if (route.mirror?.host) hosts.push(route.mirror.host);
    }
  }
  return hosts.filter((h): h is string => typeof h === 'string');
}

// Per context snapshot (kept while the cluster's view does not move): built once, not per entity.
const uidIndexes = new WeakMap<Snapshot, Map<string, KubeObject>>();

function objectsByUid(context: Snapshot): Map<string, KubeObject> {
  let byUid = uidIndexes.get(context);
  if (!byUid) {
    byUid = new Map();
    for (const obj of context.objects) {
      const uid = obj.metadata.uid;
      if (typeof uid === 'string') byUid.set(uid, obj);
    }
    uidIndexes.set(context, byUid);
  }
  return byUid;
}

function id(obj: KubeObject): string {
  return objectIdentity(resourceRef(obj));
}

/**
 * The identities (see `objectIdentity`) of the objects a catalog entity's findings are about:
 * its own objects (those its label selector matched), the workloads that own its pods, the
 * Services selecting its pods, the mesh resources that select its pods (Istio policies, Sidecars,
 * Linkerd Servers and the policies targeting them) or route to its Services (VirtualServices,
 * DestinationRules), and its namespaces. Pure.
 *
 * @param own - objects listed with the entity's label selector (and namespace)
 * @param context - the cluster's objects of {@link ENTITY_CONTEXT_KINDS}
 */
export function entityResourceIds(
  own: readonly KubeObject[],
  context: Snapshot,
): Set<string> {
  const ids = new Set(own.map(id));
  const namespaces = new Set<string>();
  // Pod label sets per namespace: of pods and of own workloads' templates.
  const podLabels: Array<{ ns: string; labels: Record<string, string> }> = [];

  const byUid = objectsByUid(context);
  const addOwners = (obj: KubeObject) => {
    for (const ref of obj.metadata.ownerReferences ?? []) {
      const owner =
        (ref.uid && byUid.get(ref.uid)) ||
        context.get(ref.apiVersion, ref.kind, obj.metadata.namespace, ref.name);
      if (owner && !ids.has(id(owner))) {
        ids.add(id(owner));
        addOwners(owner);
      }
    }
  };

  for (const obj of own) {
    const ns = obj.metadata.namespace;
    if (!ns) continue;
    namespaces.add(ns);
    addOwners(obj);
    const template = podTemplateOf(obj);
    if (template) podLabels.push({ ns, labels: template.labels });
  }

  const selectsPods = (ns: string, selector: Record<string, string>) =>
    Object.keys(selector).length > 0 &&
    podLabels.some(p => p.ns === ns && labelsMatch(selector, p.labels));

  // Services, policies and Servers count only in the entity's own namespaces (a selector selects
  // pods of its namespace), so only those are looked at: a request reads its namespaces' share of
  // a context shared by every entity of the cluster, not all of it.
  const inNamespaces = (apiVersion: string, kind: string) =>
    [...namespaces].flatMap(ns => context.list(apiVersion, kind, ns));

  // Services of the entity: labelled as its own, or selecting its pods.
  const serviceHosts = new Set<string>();
  for (const svc of inNamespaces('v1', 'Service')) {
    const ns = svc.metadata.namespace ?? '';
    const selector = (svc.spec as any)?.selector ?? {};
    if (ids.has(id(svc)) || selectsPods(ns, selector)) {
      ids.add(id(svc));
      serviceHosts.add(`${svc.metadata.name}.${ns}.svc.cluster.local`);
    }
  }
  for (const svc of own.filter(o => o.kind === 'Service')) {
    serviceHosts.add(
      `${svc.metadata.name}.${svc.metadata.namespace}.svc.cluster.local`,
    );
  }

  const routesToEntity = (hosts: string[], ns: string) =>
    hosts.some(h => serviceHosts.has(qualifyHost(h, ns)));
  for (const vs of context.list('networking.istio.io/v1', 'VirtualService')) {
    const ns = vs.metadata.namespace ?? '';
    if (routesToEntity(virtualServiceHosts((vs.spec as any) ?? {}), ns)) {
      ids.add(id(vs));
    }
  }
  for (const dr of context.list('networking.istio.io/v1', 'DestinationRule')) {
    const host = (dr.spec as any)?.host;
    if (
      typeof host === 'string' &&
      routesToEntity([host], dr.metadata.namespace ?? '')
    ) {
      ids.add(id(dr));
    }
  }

  // Policies with a selector apply to the pods it matches; without one, to their whole namespace.
  for (const kind of POD_SELECTING_KINDS) {
    for (const obj of inNamespaces(kind.apiVersion, kind.kind)) {
      const ns = obj.metadata.namespace ?? '';
      const selector = kind.selector((obj.spec as any) ?? {}) ?? {};
      const applies =
        Object.keys(selector).length === 0
          ? namespaces.has(ns)
          : selectsPods(ns, selector);
      if (applies) ids.add(id(obj));
    }
  }

  const servers = new Set<string>();
  for (const server of inNamespaces('policy.linkerd.io/v1beta3', 'Server')) {
    const ns = server.metadata.namespace ?? '';
    const selector = (server.spec as any)?.podSelector;
    if (
      selector &&
      podLabels.some(p => p.ns === ns && selectorMatches(selector, p.labels))
    ) {
      ids.add(id(server));
      servers.add(`${ns}/${server.metadata.name}`);
    }
  }
  for (const policy of inNamespaces(
    'policy.linkerd.io/v1alpha1',
    'AuthorizationPolicy',
  )) {
    const target = (policy.spec as any)?.targetRef;
    const ns = policy.metadata.namespace ?? '';
    if (target?.kind === 'Server' && servers.has(`${ns}/${target.name}`)) {
      ids.add(id(policy));
    }
  }

  for (const ns of namespaces) {
    ids.add(objectIdentity({ apiVersion: 'v1', kind: 'Namespace', name: ns }));
  }
  return ids;
}
