import type { KubeResource } from '@meshstage/plugin-mesh-node';
import { kubeResourceOf } from '@meshstage/plugin-mesh-node';

/**
 * API groups whose kinds follow the regular plural rule of `kindPlural`: built-in Kubernetes
 * groups. Kinds of any other group (CRDs) are resolved through discovery, since a CRD may name
 * its plural freely.
 */
const BUILT_IN_GROUPS = new Set([
  '',
  'apps',
  'batch',
  'autoscaling',
  'policy',
  'rbac.authorization.k8s.io',
  'admissionregistration.k8s.io',
  'apiextensions.k8s.io',
  'networking.k8s.io',
  'coordination.k8s.io',
  'storage.k8s.io',
  'scheduling.k8s.io',
  'certificates.k8s.io',
  'discovery.k8s.io',
  'events.k8s.io',
  'node.k8s.io',
]);

interface ApiResourceList {
  resources?: Array<{ name: string; kind: string }>;
}

/** Fetches `/apis/<group>/<version>`; `undefined` when the group version is not served. */
export type DiscoveryFetch = (
  path: string,
) => Promise<ApiResourceList | undefined>;

/**
 * Maps `apiVersion` + kind to the resource the API paths use. Built-in kinds are derived;
 * other kinds come from the group version's discovery document, fetched once and cached, and
 * fetched again only when a kind is missing from it (a CRD installed since). A group version the
 * cluster does not serve falls back to the derived plural, so the request itself reports the 404.
 */
export class ClusterWriterResources {
  readonly #fetch: DiscoveryFetch;
  readonly #cache = new Map<string, Map<string, string>>();

  constructor(fetch: DiscoveryFetch) {
    this.#fetch = fetch;
  }

  async resolve(apiVersion: string, kind: string): Promise<KubeResource> {
    const derived = kubeResourceOf(apiVersion, kind);
    if (BUILT_IN_GROUPS.has(derived.group)) return derived;
    let plurals = this.#cache.get(apiVersion);
    if (!plurals?.has(kind)) {
      plurals = await this.#discover(apiVersion);
    }
    const plural = plurals?.get(kind);
    return plural ? { ...derived, plural } : derived;
  }

  async #discover(
    apiVersion: string,
  ): Promise<Map<string, string> | undefined> {
    const list = await this.#fetch(`/apis/${apiVersion}`);
    if (!list) return undefined;
    const plurals = new Map<string, string>();
    for (const resource of list.resources ?? []) {
      // Subresources (`deployments/scale`) share the kind; keep the collection.
      if (!resource.name.includes('/'))
        plurals.set(resource.kind, resource.name);
    }
    this.#cache.set(apiVersion, plurals);
    return plurals;
  }
}
