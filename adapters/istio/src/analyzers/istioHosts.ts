import type { KubeObject, Snapshot } from '@meshstage/plugin-mesh-node';
import { arr, NETWORKING, specOf } from './common';

/**
 * Host resolution as `istioctl analyze` does it for destinations (our implementation of the
 * semantics of its analyzers' host helpers):
 *
 * - A host without a dot that is not a wildcard is a short name: `<host>.<namespace>.svc.cluster.local`
 *   in the namespace of the resource naming it. Any other host is taken literally, so
 *   `reviews.shop` is not the Service `reviews` of `shop` (Istio does not expand it either).
 * - Every host is visible in some scopes: a Service in `*` (every namespace) unless its
 *   `networking.istio.io/exportTo` annotation lists namespaces (`.` = its own); a ServiceEntry host
 *   in `*` unless `spec.exportTo` lists namespaces (`.` = its own, `*` = all).
 * - A destination of a resource in namespace N with `exportTo` E resolves when its FQDN is visible
 *   in `*`, else in N (E empty) or in one of E's namespaces (`.` = N), else when a wildcard
 *   ServiceEntry host visible in `*` or N ends with the destination host (both without their
 *   leading `*`).
 */
export const CLUSTER_LOCAL_SUFFIX = 'svc.cluster.local';

/** A Service or ServiceEntry behind a host, with the port numbers it declares. */
export interface HostEntry {
  object: KubeObject;
  ports: number[];
}

/** `istioctl`'s ConvertHostToFQDN: short names expanded in `namespace`, anything else kept. */
export function toFqdn(namespace: string | undefined, host: string): string {
  return host.startsWith('*') || host.includes('.')
    ? host
    : `${host}.${namespace ?? 'default'}.${CLUSTER_LOCAL_SUFFIX}`;
}

const FQDN = /^(.+)\.(.+)\.svc\.cluster\.local$/;

/**
 * The (namespace, name) a host names, as istioctl's subset check keys DestinationRules: a
 * `<name>.<namespace>.svc.cluster.local` host names that Service; any other host names itself in
 * `namespace` (so `reviews` and `reviews.shop` are different names).
 */
export function hostResourceName(
  namespace: string | undefined,
  host: string,
): string {
  const m = FQDN.exec(host);
  return m ? `${m[2]}/${m[1]}` : `${namespace ?? 'default'}/${host}`;
}

/** Namespaces a Service is visible in, from its `networking.istio.io/exportTo` annotation. */
function serviceScopes(svc: KubeObject): string[] {
  const anno = svc.metadata.annotations?.['networking.istio.io/exportTo'];
  if (!anno) return ['*'];
  return anno
    .split(',')
    .map(s => s.trim())
    .map(s => (s === '.' ? svc.metadata.namespace ?? 'default' : s));
}

/** Namespaces a ServiceEntry's hosts are visible in, from `spec.exportTo`. */
function serviceEntryScopes(se: KubeObject): string[] {
  const exportTo = arr<string>(specOf(se).exportTo).filter(
    e => typeof e === 'string',
  );
  if (exportTo.length === 0 || exportTo.includes('*')) return ['*'];
  return exportTo.map(e =>
    e === '.' ? se.metadata.namespace ?? 'default' : e,
  );
}

/** Every Service and ServiceEntry host of a snapshot, by scope, for {@link IstioHosts.resolve}. */
export class IstioHosts {
  readonly #byScopedFqdn = new Map<string, HostEntry>();
  readonly #wildcards: Array<{
    scope: string;
    suffix: string;
    entry: HostEntry;
  }> = [];

  constructor(snapshot: Snapshot) {
    for (const se of snapshot.list(NETWORKING, 'ServiceEntry')) {
      const ns = se.metadata.namespace;
      const entry: HostEntry = {
        object: se,
        ports: arr(specOf(se).ports)
          .map((p: any) => Number(p?.number))
          .filter(n => Number.isFinite(n)),
      };
      const scopes = serviceEntryScopes(se);
      for (const h of arr<string>(specOf(se).hosts)) {
        if (typeof h !== 'string') continue;
        const fqdn = toFqdn(ns, h);
        for (const scope of scopes) this.#set(scope, fqdn, entry);
      }
    }
    // Services after ServiceEntries: a Service wins a host both define, as in istioctl.
    for (const svc of snapshot.list('v1', 'Service')) {
      const entry: HostEntry = {
        object: svc,
        ports: arr((svc.spec as any)?.ports)
          .map((p: any) => Number(p?.port))
          .filter(n => Number.isFinite(n)),
      };
      const fqdn = toFqdn(svc.metadata.namespace, svc.metadata.name);
      for (const scope of serviceScopes(svc)) this.#set(scope, fqdn, entry);
    }
    for (const [key, entry] of this.#byScopedFqdn) {
      const slash = key.indexOf('/');
      const host = key.slice(slash + 1);
      if (host.startsWith('*'))
        this.#wildcards.push({
          scope: key.slice(0, slash),
          suffix: host.slice(1),
          entry,
        });
    }
  }

  #set(scope: string, fqdn: string, entry: HostEntry): void {
    this.#byScopedFqdn.set(`${scope}/${fqdn}`, entry);
  }

  /**
   * The Service or ServiceEntry a destination `host` of a resource in `namespace` (with that
   * resource's `exportTo`) reaches, or undefined when istioctl would report it not found.
   */
  resolve(
    namespace: string | undefined,
    exportTo: unknown,
    host: string,
  ): HostEntry | undefined {
    const ns = namespace ?? 'default';
    const fqdn = toFqdn(ns, host);
    const all = this.#byScopedFqdn.get(`*/${fqdn}`);
    if (all) return all;
    const scopes = arr<string>(exportTo).filter(e => typeof e === 'string');
    for (const scope of scopes.length === 0 ? [ns] : scopes) {
      const hit = this.#byScopedFqdn.get(
        `${scope === '.' ? ns : scope}/${fqdn}`,
      );
      if (hit) return hit;
    }
    const bare = host.startsWith('*') ? host.slice(1) : host;
    return this.#wildcards.find(
      w => (w.scope === '*' || w.scope === ns) && bare.endsWith(w.suffix),
    )?.entry;
  }
}
