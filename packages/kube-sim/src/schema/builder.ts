import { REF_PREFIX, Schema, SchemaDefs } from './types';

/**
 * A compact way to write the built-in kinds' schemas. Each helper returns a
 * plain OpenAPI schema; `define` registers a named component that others
 * reference with `ref`, so documents stay small and `kubectl explain` can walk
 * them like the real server's.
 */
export class SchemaBuilder {
  readonly defs: SchemaDefs = {};

  define(name: string, schema: Schema): string {
    this.defs[name] = schema;
    return name;
  }
}

const d = (description?: string): Pick<Schema, 'description'> =>
  description ? { description } : {};

export const s = {
  str: (description?: string, extra: Partial<Schema> = {}): Schema => ({
    type: 'string',
    ...d(description),
    ...extra,
  }),
  enumStr: (values: string[], description?: string): Schema => ({
    type: 'string',
    ...d(
      description
        ? `${description}\n\nPossible enum values:\n${values
            .map(v => ` - \`"${v}"\``)
            .join('\n')}`
        : undefined,
    ),
    enum: values,
  }),
  int: (description?: string): Schema => ({
    type: 'integer',
    format: 'int32',
    ...d(description),
  }),
  int64: (description?: string): Schema => ({
    type: 'integer',
    format: 'int64',
    ...d(description),
  }),
  num: (description?: string): Schema => ({
    type: 'number',
    format: 'double',
    ...d(description),
  }),
  bool: (description?: string): Schema => ({
    type: 'boolean',
    ...d(description),
  }),
  time: (description?: string): Schema => ({
    type: 'string',
    format: 'date-time',
    ...d(description),
  }),
  bytes: (description?: string): Schema => ({
    type: 'string',
    format: 'byte',
    ...d(description),
  }),
  intOrString: (description?: string): Schema => ({
    'x-kubernetes-int-or-string': true,
    ...d(description),
  }),
  quantity: (description?: string): Schema => ({
    'x-kubernetes-int-or-string': true,
    ...d(description),
  }),
  map: (value: Schema, description?: string): Schema => ({
    type: 'object',
    additionalProperties: value,
    ...d(description),
  }),
  strMap: (description?: string): Schema => ({
    type: 'object',
    additionalProperties: { type: 'string', default: '' },
    ...d(description),
  }),
  arr: (items: Schema, description?: string): Schema => ({
    type: 'array',
    items,
    'x-kubernetes-list-type': 'atomic',
    ...d(description),
  }),
  set: (items: Schema, description?: string, patchMerge = false): Schema => ({
    type: 'array',
    items,
    'x-kubernetes-list-type': 'set',
    ...(patchMerge ? { 'x-kubernetes-patch-strategy': 'merge' } : {}),
    ...d(description),
  }),
  /** An associative list: SSA keys and the strategic-merge key (first key unless given). */
  listMap: (
    items: Schema,
    keys: string[],
    description?: string,
    opts: { mergeKey?: string; strategy?: string } = {},
  ): Schema => ({
    type: 'array',
    items,
    'x-kubernetes-list-type': 'map',
    'x-kubernetes-list-map-keys': keys,
    'x-kubernetes-patch-merge-key': opts.mergeKey ?? keys[0],
    'x-kubernetes-patch-strategy': opts.strategy ?? 'merge',
    ...d(description),
  }),
  ref: (
    name: string,
    description?: string,
    extra: Partial<Schema> = {},
  ): Schema => ({
    allOf: [{ $ref: REF_PREFIX + name }],
    ...d(description),
    ...extra,
  }),
  obj: (
    properties: Record<string, Schema>,
    description?: string,
    extra: Partial<Schema> = {},
  ): Schema => ({
    type: 'object',
    properties,
    ...d(description),
    ...extra,
  }),
  /** An object whose fields we do not model: any field is accepted and kept. */
  open: (description?: string): Schema => ({
    type: 'object',
    'x-kubernetes-preserve-unknown-fields': true,
    ...d(description),
  }),
  atomic: (schema: Schema): Schema => ({
    ...schema,
    'x-kubernetes-map-type': 'atomic',
  }),
};
