import { ApiError, errors } from '../server/status';
import { checkAgainstSchema } from '../schema/validate';
import { FieldError } from '../validation/field-errors';
import { clone, isObject } from '../util/objects';
import { apiVersionOf, KubeObject, ResourceType } from './types';

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

export interface DecodeResult {
  object: KubeObject;
  /** Value errors found by a CRD schema (reported with the other 422 causes). */
  schemaErrors: FieldError[];
  warnings: string[];
}

function cannotHandle(type: ResourceType, detail: string): ApiError {
  return errors.badRequest(
    `${type.kind} in version "${type.version}" cannot be handled as a ${type.kind}: ${detail}`,
  );
}

/**
 * Turns a request body into an object of the given type, as the API server's
 * decoder does: checks apiVersion/kind, rejects or reports unknown fields
 * according to fieldValidation, drops them, and reports JSON type mismatches.
 */
export function decodeObject(
  type: ResourceType,
  body: unknown,
  validation: FieldValidation,
): DecodeResult {
  if (!isObject(body)) {
    throw cannotHandle(
      type,
      `json: cannot unmarshal ${
        Array.isArray(body) ? 'array' : typeof body
      } into Go value of type struct`,
    );
  }
  const obj = clone(body) as KubeObject;
  const expected = apiVersionOf(type);
  if (obj.apiVersion !== undefined && obj.apiVersion !== expected) {
    throw errors.badRequest(
      `the API version in the data (${String(
        obj.apiVersion,
      )}) does not match the expected API version (${expected})`,
    );
  }
  if (obj.kind !== undefined && obj.kind !== type.kind) {
    throw errors.badRequest(
      `the object provided is unrecognized (must be of type ${
        type.kind
      }): couldn't get version/kind; json parse error: kind ${String(
        obj.kind,
      )} does not match ${type.kind}`,
    );
  }
  obj.apiVersion = expected;
  obj.kind = type.kind;
  if (obj.metadata !== undefined && !isObject(obj.metadata)) {
    throw cannotHandle(
      type,
      'json: cannot unmarshal into Go struct field .metadata of type v1.ObjectMeta',
    );
  }
  const warnings: string[] = [];
  let schemaErrors: FieldError[] = [];
  if (type.schema) {
    const result = checkAgainstSchema(obj, type.schema, {
      defs: type.defs,
      crd: !!type.crd,
      prune: true,
    });
    if (result.typeMismatches.length > 0) {
      const m = result.typeMismatches[0];
      throw cannotHandle(
        type,
        `json: cannot unmarshal ${m.jsonType} into Go struct field ${m.structName}.${m.path} of type ${m.expected}`,
      );
    }
    const unknown = result.unknownFields.map(f => `unknown field "${f}"`);
    if (unknown.length > 0) {
      if (validation === 'Strict')
        throw cannotHandle(
          type,
          `strict decoding error: ${unknown.join(', ')}`,
        );
      if (validation === 'Warn') warnings.push(...unknown);
    }
    schemaErrors = result.fieldErrors;
  }
  return { object: obj, schemaErrors, warnings };
}
