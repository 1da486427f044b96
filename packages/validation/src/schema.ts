import type { SchemaViolation } from '@meshstage/plugin-mesh-node';
import Ajv, { ValidateFunction } from 'ajv';

const ajv = new Ajv({
  allErrors: true,
  strict: false,
  // CRD schemas use OpenAPI keywords ajv does not know; they are annotations, not checks.
  keywords: [
    'x-kubernetes-preserve-unknown-fields',
    'x-kubernetes-int-or-string',
  ],
});
const compiled = new WeakMap<object, ValidateFunction>();

/**
 * Validates a value against a CRD's OpenAPI v3 schema with ajv; compiled schemas are cached per
 * schema object. Violations carry the JSON pointer of the field and a message naming it.
 * @public
 */
export function validateSchema(
  schema: object,
  value: unknown,
): SchemaViolation[] {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  if (validate(value)) return [];
  return (validate.errors ?? []).map(e => {
    let path = e.instancePath;
    let message = e.message ?? 'is invalid';
    if (e.keyword === 'additionalProperties') {
      const extra = String(
        (e.params as { additionalProperty: string }).additionalProperty,
      );
      path = `${path}/${extra.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      message = 'unknown field';
    } else if (e.keyword === 'enum') {
      message = `must be one of ${(
        e.params as { allowedValues: unknown[] }
      ).allowedValues
        .map(v => JSON.stringify(v))
        .join(', ')}`;
    } else if (e.keyword === 'required') {
      const missing = String(
        (e.params as { missingProperty: string }).missingProperty,
      );
      path = `${path}/${missing}`;
      message = 'required field is missing';
    }
    return { path, message };
  });
}
