import { builtinResourceTypes } from './builtins';
import { crdResourceTypes } from './crd';
import { KubeObject, ResourceType } from './types';

/** Orders versions as Kubernetes does: GA > beta > alpha, higher numbers first. */
export function compareKubeVersions(a: string, b: string): number {
  const parse = (v: string) => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (!m) return [0, 0, 0, v] as const;
    const stage =
      ({ alpha: 1, beta: 2 } as Record<string, number>)[m[2] ?? ''] ?? 3;
    return [1, stage, Number(m[1]), Number(m[3] ?? 0)] as const;
  };
  const pa = parse(a);
  const pb = parse(b);
  for (let i = 0; i < 4; i++) {
    if (pa[i] !== pb[i]) {
      if (typeof pa[i] === 'string')
        return String(pa[i]) < String(pb[i]) ? -1 : 1;
      return (pb[i] as number) - (pa[i] as number);
    }
  }
  return 0;
}

export interface GroupInfo {
  name: string;
  versions: string[];
  preferredVersion: string;
}

/** The set of resource types currently served: built-ins plus those of established CRDs. */
export class Registry {
  private readonly builtins = builtinResourceTypes();
  private types: ResourceType[] = [];
  private byPath = new Map<string, ResourceType>();
  private generation = 0;
  private readonly listeners: (() => void)[] = [];

  constructor() {
    this.setCrds([]);
  }

  /** Incremented whenever the served set changes (cache key for discovery and OpenAPI). */
  get version(): number {
    return this.generation;
  }

  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  setCrds(crds: KubeObject[]): void {
    const custom: ResourceType[] = [];
    const taken = new Set(this.builtins.map(t => `${t.group}/${t.plural}`));
    for (const crd of crds) {
      for (const t of crdResourceTypes(crd)) {
        if (taken.has(`${t.group}/${t.plural}`) && !t.crd) continue;
        custom.push(t);
      }
    }
    this.types = [...this.builtins, ...custom];
    this.byPath = new Map(
      this.types.map(t => [`${t.group}/${t.version}/${t.plural}`, t]),
    );
    this.generation++;
    for (const l of this.listeners) l();
  }

  all(): ResourceType[] {
    return this.types;
  }

  find(
    group: string,
    version: string,
    plural: string,
  ): ResourceType | undefined {
    return this.byPath.get(`${group}/${version}/${plural}`);
  }

  findKind(
    group: string,
    version: string,
    kind: string,
  ): ResourceType | undefined {
    return this.types.find(
      t => t.group === group && t.version === version && t.kind === kind,
    );
  }

  /** Any served version of a group/kind (for owner references and events). */
  findGroupKind(group: string, kind: string): ResourceType | undefined {
    return this.types.find(t => t.group === group && t.kind === kind);
  }

  byStorageKey(key: string): ResourceType[] {
    return this.types.filter(t => t.storageKey === key);
  }

  groupVersions(): { group: string; version: string }[] {
    const seen = new Map<string, { group: string; version: string }>();
    for (const t of this.types)
      seen.set(`${t.group}/${t.version}`, {
        group: t.group,
        version: t.version,
      });
    return [...seen.values()];
  }

  /** Non-core groups in discovery order (built-in order first, then CRD groups by name). */
  groups(): GroupInfo[] {
    const order: string[] = [];
    const versions = new Map<string, Set<string>>();
    for (const t of this.types) {
      if (!t.group) continue;
      if (!versions.has(t.group)) {
        versions.set(t.group, new Set());
        order.push(t.group);
      }
      versions.get(t.group)!.add(t.version);
    }
    return order.map(name => {
      const vs = [...versions.get(name)!].sort(compareKubeVersions);
      return { name, versions: vs, preferredVersion: vs[0] };
    });
  }

  resourcesIn(group: string, version: string): ResourceType[] {
    return this.types.filter(t => t.group === group && t.version === version);
  }
}
