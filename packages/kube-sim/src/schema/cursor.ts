import { resolveSchema, Schema, SchemaDefs } from './types';

/**
 * A position in a schema, resolved through references. Patch and apply code
 * walk objects and schemas together with it; a cursor without a schema stands
 * for "unknown type": maps merge field by field and lists are atomic.
 */
export class SchemaCursor {
  private readonly resolved: Schema | undefined;

  constructor(readonly raw: Schema | undefined, readonly defs: SchemaDefs) {
    this.resolved = resolveSchema(raw, defs);
  }

  get schema(): Schema | undefined {
    return this.resolved;
  }

  /** Reads an extension from the property wrapper first, then the resolved schema. */
  private ext<K extends keyof Schema>(key: K): Schema[K] | undefined {
    return (this.raw?.[key] ?? this.resolved?.[key]) as Schema[K] | undefined;
  }

  child(key: string): SchemaCursor {
    const s = this.resolved;
    let sub: Schema | undefined;
    if (s) {
      sub = s.properties?.[key];
      if (
        !sub &&
        s.additionalProperties &&
        typeof s.additionalProperties === 'object'
      )
        sub = s.additionalProperties;
    }
    return new SchemaCursor(sub, this.defs);
  }

  items(): SchemaCursor {
    return new SchemaCursor(this.resolved?.items, this.defs);
  }

  /** SSA list semantics; lists without declared type are atomic. */
  listType(): 'atomic' | 'set' | 'map' {
    return this.ext('x-kubernetes-list-type') ?? 'atomic';
  }

  listKeys(): string[] {
    return this.ext('x-kubernetes-list-map-keys') ?? [];
  }

  /** True when a map/struct is owned and replaced as a whole. */
  isAtomicMap(): boolean {
    return this.ext('x-kubernetes-map-type') === 'atomic';
  }

  isMapOfValues(): boolean {
    return !!this.resolved?.additionalProperties && !this.resolved?.properties;
  }

  patchMergeKey(): string | undefined {
    return this.ext('x-kubernetes-patch-merge-key');
  }

  patchStrategies(): string[] {
    const v = this.ext('x-kubernetes-patch-strategy');
    return v ? v.split(',') : [];
  }

  /** A default value declared for a field of list items (e.g. protocol: TCP). */
  keyDefault(field: string): unknown {
    const sub = this.child(field);
    if (sub.raw?.default !== undefined) return sub.raw.default;
    if (field === 'protocol') return 'TCP';
    return undefined;
  }
}
