import type { LabelRequirement } from '@meshstage/plugin-mesh-node';

/** The `key=value` pairs a requirement list pins down (what an index can look up). */
export function equalityPairs(
  requirements: LabelRequirement[],
): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (const r of requirements) {
    if (r.op === '=') pairs.push([r.key, r.value]);
    else if (r.op === 'in' && r.values.length === 1) {
      pairs.push([r.key, r.values[0]]);
    }
  }
  return pairs;
}

/** Whether labels carry every `key: value` of a plain selector map (an empty one matches all). */
export function mapMatches(
  selector: Record<string, string>,
  labels: Record<string, string>,
): boolean {
  for (const key in selector) {
    if (labels[key] !== selector[key]) return false;
  }
  return true;
}

type Buckets<T> = Map<string, Map<string, T[]>>;

/**
 * Items indexed by namespace and by each `key=value` label they carry, so that a selector costs a
 * look-up of its most selective pair instead of a scan of the namespace.
 */
export class LabelIndex<T> {
  private readonly byNamespace = new Map<string, T[]>();
  /** namespace → key → value → items. */
  private readonly byLabel = new Map<string, Buckets<T>>();
  /** key → value → items, over every namespace. */
  private readonly anyNamespace: Buckets<T> = new Map();
  private readonly all: T[] = [];

  /**
   * @param keys - the label keys that lookups use; only those are indexed (fewer entries to
   *   build), and a lookup by other keys scans its namespace. All keys when absent.
   */
  constructor(private readonly keys?: ReadonlySet<string>) {}

  /** `labelSets`: every label map the item can be found by (all are indexed). */
  add(item: T, namespace: string, ...labelSets: Array<Record<string, string>>) {
    this.all.push(item);
    push(this.byNamespace, namespace, item);
    let buckets = this.byLabel.get(namespace);
    if (!buckets) {
      buckets = new Map();
      this.byLabel.set(namespace, buckets);
    }
    for (let i = 0; i < labelSets.length; i++) {
      const labels = labelSets[i];
      for (const key of Object.keys(labels)) {
        if (this.keys && !this.keys.has(key)) continue;
        const value = labels[key];
        // A pair an earlier label set carried already is indexed once.
        let seen = false;
        for (let j = 0; j < i && !seen; j++) seen = labelSets[j][key] === value;
        if (seen) continue;
        addToBucket(buckets, key, value, item);
        addToBucket(this.anyNamespace, key, value, item);
      }
    }
  }

  /**
   * Candidates for a selector: the items of the smallest bucket among its pairs (in `namespace`, or
   * every namespace when absent); every item of the scope when it has no pair. The caller still
   * checks each candidate.
   */
  candidates(
    namespace: string | undefined,
    pairs: Array<[string, string]>,
  ): readonly T[] {
    if (pairs.length === 0) {
      return namespace === undefined
        ? this.all
        : this.byNamespace.get(namespace) ?? [];
    }
    const buckets =
      namespace === undefined ? this.anyNamespace : this.byLabel.get(namespace);
    if (!buckets) return [];
    let best: readonly T[] | undefined;
    for (const [k, v] of pairs) {
      if (this.keys && !this.keys.has(k)) continue;
      const bucket = buckets.get(k)?.get(v) ?? [];
      if (!best || bucket.length < best.length) best = bucket;
      if (best.length === 0) break;
    }
    if (best) return best;
    return namespace === undefined
      ? this.all
      : this.byNamespace.get(namespace) ?? [];
  }
}

function addToBucket<T>(
  buckets: Buckets<T>,
  key: string,
  value: string,
  item: T,
) {
  let values = buckets.get(key);
  if (!values) {
    values = new Map();
    buckets.set(key, values);
  }
  push(values, value, item);
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V) {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
