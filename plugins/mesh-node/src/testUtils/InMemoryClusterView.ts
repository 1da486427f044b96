import type {
  KubeListOptions,
  KubeObject,
  KubeResource,
  MeshClusterView,
} from '../kube';
import { kubeResourceOf } from '../kube';
import { matchesLabelSelector } from './labelSelector';

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
        const r = kubeResourceOf(
          obj.apiVersion,
          obj.kind,
          this.#plurals[obj.kind],
        );
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
