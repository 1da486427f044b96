import type {
  KubeListOptions,
  KubeObject,
  KubeResource,
  MeshClusterView,
} from '../kube';
import { matchesLabelSelector } from './labelSelector';

// Kinds whose plural is not the regular English one.
const IRREGULAR_PLURALS: Record<string, string> = {
  Endpoints: 'endpoints',
};

function pluralOf(kind: string): string {
  if (IRREGULAR_PLURALS[kind]) return IRREGULAR_PLURALS[kind];
  const lower = kind.toLowerCase();
  if (/(s|x|ch|sh)$/.test(lower)) return `${lower}es`;
  if (/[^aeiou]y$/.test(lower)) return `${lower.slice(0, -1)}ies`;
  return `${lower}s`;
}

function resourceOf(
  obj: KubeObject,
  plurals: Record<string, string>,
): KubeResource {
  const slash = obj.apiVersion.indexOf('/');
  return {
    group: slash < 0 ? '' : obj.apiVersion.slice(0, slash),
    version: slash < 0 ? obj.apiVersion : obj.apiVersion.slice(slash + 1),
    plural: plurals[obj.kind] ?? pluralOf(obj.kind),
  };
}

/**
 * A {@link MeshClusterView} over a fixed set of objects, for unit tests of adapters: detection
 * runs against exactly the objects a test lists, with label selectors and namespaces applied as
 * the API server applies them.
 *
 * @example
 * ```ts
 * const cluster = new InMemoryClusterView('dev', [istiodDeployment, bookinfoNamespace]);
 * const status = await new IstioAdapter().detect(cluster);
 * ```
 * @public
 */
export class InMemoryClusterView implements MeshClusterView {
  readonly name: string;
  readonly #objects: KubeObject[];
  readonly #plurals: Record<string, string>;
  readonly #calls: Array<{
    resource: KubeResource;
    options?: KubeListOptions;
  }> = [];

  /**
   * @param name - the cluster name
   * @param objects - the cluster's objects; each needs `apiVersion`, `kind` and `metadata.name`
   * @param options - `plurals` maps kinds whose plural the naive rule gets wrong (e.g. a CRD)
   */
  constructor(
    name: string,
    objects: KubeObject[] = [],
    options?: { plurals?: Record<string, string> },
  ) {
    this.name = name;
    this.#objects = [...objects];
    this.#plurals = options?.plurals ?? {};
  }

  /** Adds objects, as if they had been created on the cluster. */
  add(...objects: KubeObject[]): void {
    this.#objects.push(...objects);
  }

  /** The list calls made so far, to assert what an adapter asked for. */
  get calls(): ReadonlyArray<{
    resource: KubeResource;
    options?: KubeListOptions;
  }> {
    return this.#calls;
  }

  async list<T extends KubeObject = KubeObject>(
    resource: KubeResource,
    options?: KubeListOptions,
  ): Promise<T[]> {
    this.#calls.push({ resource, options });
    return this.#objects
      .filter(obj => {
        const r = resourceOf(obj, this.#plurals);
        return (
          r.group === resource.group &&
          r.version === resource.version &&
          r.plural === resource.plural
        );
      })
      .filter(
        obj =>
          !options?.namespace ||
          obj.metadata.namespace === undefined ||
          obj.metadata.namespace === options.namespace,
      )
      .filter(obj =>
        matchesLabelSelector(obj.metadata.labels, options?.labelSelector),
      )
      .map(obj => structuredClone(obj) as T);
  }
}
