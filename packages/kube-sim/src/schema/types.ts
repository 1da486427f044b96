/** The subset of OpenAPI v3 / JSON schema that Kubernetes uses (structural schemas). */
export interface Schema {
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  format?: string;
  description?: string;
  properties?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
  items?: Schema;
  required?: string[];
  enum?: unknown[];
  default?: unknown;
  nullable?: boolean;
  $ref?: string;
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
  not?: Schema;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: boolean;
  exclusiveMaximum?: boolean;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minItems?: number;
  maxItems?: number;
  minProperties?: number;
  maxProperties?: number;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
  'x-kubernetes-list-type'?: 'atomic' | 'set' | 'map';
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-map-type'?: 'atomic' | 'granular';
  'x-kubernetes-patch-merge-key'?: string;
  'x-kubernetes-patch-strategy'?: string;
  'x-kubernetes-group-version-kind'?: {
    group: string;
    version: string;
    kind: string;
  }[];
  [extension: `x-${string}`]: unknown;
}

/** Named schemas, as `components.schemas` of an OpenAPI v3 document. */
export type SchemaDefs = Record<string, Schema>;

export const REF_PREFIX = '#/components/schemas/';

/**
 * Follows `$ref` / single `allOf` wrappers to the schema that carries the
 * structure. Kubernetes documents wrap references as `allOf: [{$ref}]` so that
 * the property can carry its own description.
 */
export function resolveSchema(
  schema: Schema | undefined,
  defs: SchemaDefs,
): Schema | undefined {
  let s = schema;
  for (let i = 0; s && i < 10; i++) {
    if (s.$ref) {
      s = defs[s.$ref.slice(REF_PREFIX.length)];
    } else if (s.allOf && s.allOf.length === 1 && !s.properties && !s.type) {
      s = s.allOf[0];
    } else {
      break;
    }
  }
  return s;
}

/** Schema of an object property (resolved), or undefined when the property is not declared. */
export function propertySchema(
  schema: Schema | undefined,
  key: string,
  defs: SchemaDefs,
): Schema | undefined {
  const s = resolveSchema(schema, defs);
  if (!s) return undefined;
  const p = s.properties?.[key];
  if (p) return resolveSchema(p, defs);
  if (s.additionalProperties && typeof s.additionalProperties === 'object') {
    return resolveSchema(s.additionalProperties, defs);
  }
  return undefined;
}

/** Element schema of an array schema (resolved). */
export function itemSchema(
  schema: Schema | undefined,
  defs: SchemaDefs,
): Schema | undefined {
  const s = resolveSchema(schema, defs);
  return s?.items ? resolveSchema(s.items, defs) : undefined;
}
