import { FieldError, fieldError } from '../validation/field-errors';
import { clone, isObject, JsonObject } from '../util/objects';
import { CelEvalError, CelUnsupportedError, compileCel } from '../cel/cel';
import { REF_PREFIX, Schema, SchemaDefs } from './types';

/** A value whose JSON type does not fit the schema (a decode error for built-in kinds). */
export interface TypeMismatch {
  path: string;
  /** Name of the Go struct holding the field, e.g. DeploymentSpec. */
  structName: string;
  jsonType: string;
  expected: string;
  value: unknown;
}

export interface SchemaCheckResult {
  /** Paths of fields the schema does not declare, e.g. `spec.foo`. */
  unknownFields: string[];
  typeMismatches: TypeMismatch[];
  /** Value errors (CRD mode only): required, enum, bounds, patterns. */
  fieldErrors: FieldError[];
}

export interface SchemaCheckOptions {
  defs: SchemaDefs;
  /** CRD semantics: validate values (required, enum, bounds) and apply defaults. */
  crd?: boolean;
  /** Remove unknown fields (and nulls of non-nullable fields) in place. */
  prune?: boolean;
}

interface Ctx extends SchemaCheckOptions {
  result: SchemaCheckResult;
}

function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  if (typeof v === 'object') return 'object';
  return typeof v;
}

function goType(schema: Schema, refName?: string): string {
  if (schema['x-kubernetes-int-or-string']) return 'intstr.IntOrString';
  switch (schema.type) {
    case 'integer':
      return schema.format === 'int64' ? 'int64' : 'int32';
    case 'number':
      return 'float64';
    case 'boolean':
      return 'bool';
    case 'string':
      return 'string';
    case 'array':
      return '[]interface {}';
    case 'object':
      if (refName) return `v1.${refName.split('.').pop()}`;
      return schema.additionalProperties ? 'map[string]string' : 'struct';
    default:
      return 'interface {}';
  }
}

/** Resolves references, remembering the last named component (for Go-style messages). */
function resolve(
  schema: Schema,
  defs: SchemaDefs,
): { schema: Schema; name?: string } {
  let s: Schema | undefined = schema;
  let name: string | undefined;
  let merged: Schema = {};
  for (let i = 0; s && i < 10; i++) {
    if (s.$ref) {
      name = s.$ref.slice(REF_PREFIX.length);
      s = defs[name];
    } else if (s.allOf && s.allOf.length >= 1 && !s.properties && !s.type) {
      // keep the wrapper's own keywords (default, description) out of the structure
      merged = { ...merged };
      s = s.allOf[0];
    } else {
      break;
    }
  }
  return { schema: { ...(s ?? {}), ...merged }, name };
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

function typeOk(schema: Schema, v: unknown): boolean {
  const t = jsonType(v);
  if (schema['x-kubernetes-int-or-string'])
    return t === 'integer' || t === 'string';
  switch (schema.type) {
    case undefined:
      return true;
    case 'integer':
      return t === 'integer';
    case 'number':
      return t === 'integer' || t === 'number';
    default:
      return t === schema.type;
  }
}

function checkValue(
  value: unknown,
  schema: Schema,
  path: string,
  ctx: Ctx,
  structName: string,
): void {
  const { schema: s, name } = resolve(schema, ctx.defs);
  if (!typeOk(s, value)) {
    if (ctx.crd) {
      const expected = s['x-kubernetes-int-or-string']
        ? 'integer or string'
        : s.type ?? '';
      ctx.result.fieldErrors.push(
        fieldError.typeInvalid(
          path,
          value,
          `${path} in body must be of type ${expected}: "${jsonType(value)}"`,
        ),
      );
    } else {
      ctx.result.typeMismatches.push({
        path,
        structName,
        jsonType:
          { integer: 'number', boolean: 'bool' }[jsonType(value)] ??
          jsonType(value),
        expected: goType(s, name),
        value,
      });
    }
    return;
  }
  if (ctx.crd) checkConstraints(value, s, path, ctx);
  if (isObject(value)) {
    checkObject(
      value,
      s,
      path,
      ctx,
      name ? name.split('.').pop()! : structName,
    );
  } else if (Array.isArray(value) && s.items) {
    value.forEach((item, i) => {
      if (item === null && !ctx.crd) {
        // Go decodes null list items as zero values
        if (ctx.prune && resolve(s.items!, ctx.defs).schema.type === 'object')
          value[i] = {};
        return;
      }
      checkValue(item, s.items!, `${path}[${i}]`, ctx, structName);
    });
    if (ctx.crd) checkListType(value, s, path, ctx);
  }
  if (ctx.crd) {
    checkValueValidations(value, s, path, ctx);
    checkCelRules(value, s, path, ctx);
  }
}

/** `x-kubernetes-list-type: set | map`: items (or their map keys) must be unique. */
function checkListType(
  list: unknown[],
  s: Schema,
  path: string,
  ctx: Ctx,
): void {
  const type = s['x-kubernetes-list-type'];
  if (type !== 'set' && type !== 'map') return;
  const keys = s['x-kubernetes-list-map-keys'] ?? [];
  const seen = new Set<string>();
  list.forEach((item, i) => {
    let id: string;
    if (type === 'set') id = JSON.stringify(item);
    else {
      if (!isObject(item)) return;
      id = JSON.stringify(keys.map(k => item[k] ?? null));
    }
    if (seen.has(id))
      ctx.result.fieldErrors.push({
        type: 'Duplicate',
        field: `${path}[${i}]`,
        value:
          type === 'set'
            ? item
            : Object.fromEntries(keys.map(k => [k, (item as JsonObject)[k]])),
      });
    seen.add(id);
  });
}

/**
 * Whether a value passes a value-validation schema (the branches of oneOf,
 * anyOf, allOf, not in a structural schema): type, required, enum, bounds,
 * patterns, nested properties and items; no defaulting or pruning.
 */
function passes(value: unknown, schema: Schema, defs: SchemaDefs): boolean {
  const ctx: Ctx = {
    defs,
    crd: true,
    result: { unknownFields: [], typeMismatches: [], fieldErrors: [] },
  };
  const s = resolve(schema, defs).schema;
  if (s.type && !typeOk(s, value)) return false;
  checkConstraints(value, s, '', ctx);
  if (isObject(value)) {
    for (const req of s.required ?? [])
      if (value[req] === undefined || value[req] === null) return false;
    for (const [k, sub] of Object.entries(s.properties ?? {}))
      if (
        value[k] !== undefined &&
        value[k] !== null &&
        !passes(value[k], sub, defs)
      )
        return false;
  }
  if (Array.isArray(value) && s.items)
    for (const item of value) if (!passes(item, s.items, defs)) return false;
  checkValueValidations(value, s, '', ctx);
  return ctx.result.fieldErrors.length === 0;
}

/** oneOf / anyOf / allOf / not, as kube-openapi's validator reports them. */
function checkValueValidations(
  value: unknown,
  s: Schema,
  path: string,
  ctx: Ctx,
): void {
  const errs = ctx.result.fieldErrors;
  const at = path || '<nil>';
  if (s.oneOf && s.oneOf.length) {
    const n = s.oneOf.filter(b => passes(value, b, ctx.defs)).length;
    if (n !== 1)
      errs.push(
        fieldError.invalid(
          path,
          value,
          `${at} in body must validate one and only one schema (oneOf). ${
            n === 0 ? 'Found none valid' : `Found ${n} valid alternatives`
          }`,
        ),
      );
  }
  if (
    s.anyOf &&
    s.anyOf.length &&
    !s.anyOf.some(b => passes(value, b, ctx.defs))
  )
    errs.push(
      fieldError.invalid(
        path,
        value,
        `${at} in body must validate at least one schema (anyOf)`,
      ),
    );
  // allOf with one branch is a reference wrapper that resolve() already followed
  if (s.allOf && s.allOf.length > 1)
    for (const b of s.allOf)
      if (!passes(value, b, ctx.defs)) {
        errs.push(
          fieldError.invalid(
            path,
            value,
            `${at} in body must validate all the schemas (allOf)`,
          ),
        );
        break;
      }
  if (s.not && passes(value, s.not, ctx.defs))
    errs.push(
      fieldError.invalid(
        path,
        value,
        `${at} in body must not validate the schema (not)`,
      ),
    );
}

interface CelRule {
  rule?: string;
  message?: string;
  messageExpression?: string;
  reason?: string;
  fieldPath?: string;
  optionalOldSelf?: boolean;
}

function schemaTypeName(s: Schema, v: unknown): string {
  if (s['x-kubernetes-int-or-string'])
    return typeof v === 'string' ? 'string' : 'integer';
  if (s.type) return s.type;
  if (Array.isArray(v)) return 'array';
  return isObject(v) ? 'object' : typeof v;
}

/**
 * `x-kubernetes-validations`: each CEL rule is evaluated with `self` bound to
 * the value, after defaulting, as the apiextensions server does. A false
 * result gives the rule's message (or messageExpression, or `failed rule:
 * <rule>`) as an Invalid (or the rule's reason) error at the value's path plus
 * fieldPath; a CEL runtime error gives `<error> evaluating rule: <rule>`.
 * Transition rules (those reading `oldSelf`) are skipped, as on create. Rules
 * outside kube-sim's CEL subset are skipped (not enforced) rather than guessed.
 */
function checkCelRules(
  value: unknown,
  s: Schema,
  path: string,
  ctx: Ctx,
): void {
  const rules = s['x-kubernetes-validations'];
  if (!Array.isArray(rules) || value === null || value === undefined) return;
  const type = schemaTypeName(s, value);
  for (const r of rules as CelRule[]) {
    if (!r || typeof r.rule !== 'string') continue;
    if (/\boldSelf\b/.test(r.rule)) continue;
    const field = r.fieldPath ? `${path}${r.fieldPath}` : path;
    let ok: unknown;
    try {
      ok = compileCel(r.rule).evaluate({ self: value });
    } catch (e) {
      if (e instanceof CelUnsupportedError) continue;
      if (e instanceof CelEvalError) {
        ctx.result.fieldErrors.push(
          fieldError.invalid(
            field,
            type,
            `${e.message} evaluating rule: ${r.rule}`,
          ),
        );
        continue;
      }
      throw e;
    }
    if (ok === true) continue;
    let message =
      r.message ?? `failed rule: ${r.rule.replace(/\s+/g, ' ').trim()}`;
    if (r.messageExpression) {
      try {
        const m = compileCel(r.messageExpression).evaluate({ self: value });
        if (typeof m === 'string' && m.trim()) message = m;
      } catch {
        // keep the static message
      }
    }
    let fe = fieldError.invalid(field, type, message);
    if (r.reason === 'FieldValueForbidden')
      fe = fieldError.forbidden(field, message);
    else if (r.reason === 'FieldValueRequired')
      fe = fieldError.required(field, message);
    else if (r.reason === 'FieldValueDuplicate')
      fe = { ...fieldError.duplicate(field, type), detail: message };
    ctx.result.fieldErrors.push(fe);
  }
}

function checkObject(
  obj: JsonObject,
  s: Schema,
  path: string,
  ctx: Ctx,
  structName: string,
): void {
  const preserve = s['x-kubernetes-preserve-unknown-fields'] === true;
  const embedded = s['x-kubernetes-embedded-resource'] === true;
  const props = s.properties;
  const additional = s.additionalProperties;
  for (const key of Object.keys(obj)) {
    const v = obj[key];
    let sub: Schema | undefined = props?.[key];
    if (!sub && isObject(additional)) sub = additional;
    if (!sub && embedded && (key === 'apiVersion' || key === 'kind'))
      sub = { type: 'string' };
    if (!sub && embedded && key === 'metadata')
      sub = { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
    if (v === null) {
      const nullable = sub ? resolve(sub, ctx.defs).schema.nullable : false;
      if (!nullable && ctx.prune) delete obj[key];
      continue;
    }
    if (!sub) {
      if (preserve || additional === true || (!props && !s.type && !additional))
        continue;
      ctx.result.unknownFields.push(join(path, key));
      if (ctx.prune) delete obj[key];
      continue;
    }
    checkValue(v, sub, join(path, key), ctx, structName);
  }
  if (ctx.crd && props) {
    for (const [key, sub] of Object.entries(props)) {
      if (obj[key] === undefined) {
        const r = resolve(sub, ctx.defs).schema;
        const def = sub.default !== undefined ? sub.default : r.default;
        if (def !== undefined) obj[key] = clone(def);
      }
    }
    for (const req of s.required ?? []) {
      if (obj[req] === undefined)
        ctx.result.fieldErrors.push(fieldError.required(join(path, req)));
    }
  }
}

function checkConstraints(v: unknown, s: Schema, path: string, ctx: Ctx): void {
  const errs = ctx.result.fieldErrors;
  if (s.enum && !s.enum.some(e => JSON.stringify(e) === JSON.stringify(v))) {
    errs.push(
      fieldError.notSupported(
        path,
        v,
        s.enum.map(e => (typeof e === 'string' ? e : JSON.stringify(e))),
      ),
    );
  }
  if (typeof v === 'number') {
    if (
      s.minimum !== undefined &&
      (s.exclusiveMinimum ? v <= s.minimum : v < s.minimum)
    ) {
      errs.push(
        fieldError.invalid(
          path,
          v,
          `${path} in body should be greater than ${
            s.exclusiveMinimum ? '' : 'or equal to '
          }${s.minimum}`,
        ),
      );
    }
    if (
      s.maximum !== undefined &&
      (s.exclusiveMaximum ? v >= s.maximum : v > s.maximum)
    ) {
      errs.push(
        fieldError.invalid(
          path,
          v,
          `${path} in body should be less than ${
            s.exclusiveMaximum ? '' : 'or equal to '
          }${s.maximum}`,
        ),
      );
    }
  }
  if (typeof v === 'string') {
    if (s.maxLength !== undefined && [...v].length > s.maxLength) {
      errs.push({
        type: 'TooLong',
        field: path,
        value: v,
        detail: `may not be more than ${s.maxLength} bytes`,
      });
    }
    if (s.minLength !== undefined && [...v].length < s.minLength) {
      errs.push(
        fieldError.invalid(
          path,
          v,
          `${path} in body should be at least ${s.minLength} chars long`,
        ),
      );
    }
    if (s.pattern) {
      let re: RegExp | undefined;
      try {
        re = new RegExp(s.pattern, 'u');
      } catch {
        re = undefined;
      }
      if (re && !re.test(v))
        errs.push(
          fieldError.invalid(
            path,
            v,
            `${path} in body should match '${s.pattern}'`,
          ),
        );
    }
  }
  if (Array.isArray(v)) {
    if (s.maxItems !== undefined && v.length > s.maxItems) {
      errs.push({
        type: 'TooMany',
        field: path,
        value: v,
        detail: `must have at most ${s.maxItems} items`,
      });
    }
    if (s.minItems !== undefined && v.length < s.minItems) {
      errs.push(
        fieldError.invalid(
          path,
          v,
          `${path} in body should have at least ${s.minItems} items`,
        ),
      );
    }
  }
  if (isObject(v)) {
    const n = Object.keys(v).length;
    if (s.maxProperties !== undefined && n > s.maxProperties) {
      errs.push({
        type: 'TooMany',
        field: path,
        value: v,
        detail: `must have at most ${s.maxProperties} items`,
      });
    }
    if (s.minProperties !== undefined && n < s.minProperties) {
      errs.push(
        fieldError.invalid(
          path,
          v,
          `${path} in body should have at least ${s.minProperties} properties`,
        ),
      );
    }
  }
}

/**
 * Walks an object against its schema: finds undeclared fields (for
 * fieldValidation), JSON type mismatches, and (for CRDs) value errors, applying
 * CRD defaults and pruning in place when asked.
 */
export function checkAgainstSchema(
  obj: JsonObject,
  root: Schema,
  opts: SchemaCheckOptions,
): SchemaCheckResult {
  const ctx: Ctx = {
    ...opts,
    result: { unknownFields: [], typeMismatches: [], fieldErrors: [] },
  };
  const { schema, name } = resolve(root, opts.defs);
  checkObject(obj, schema, '', ctx, name ? name.split('.').pop()! : '');
  if (opts.crd) {
    checkValueValidations(obj, schema, '', ctx);
    checkCelRules(obj, schema, '', ctx);
  }
  return ctx.result;
}
