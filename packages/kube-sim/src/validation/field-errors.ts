import { ApiError, qualifiedKind } from '../server/status';

/** The kinds of field.Error the API server reports, with their Status cause reason. */
const TYPES = {
  Required: { text: 'Required value', reason: 'FieldValueRequired' },
  Invalid: { text: 'Invalid value', reason: 'FieldValueInvalid' },
  NotSupported: { text: 'Unsupported value', reason: 'FieldValueNotSupported' },
  Duplicate: { text: 'Duplicate value', reason: 'FieldValueDuplicate' },
  Forbidden: { text: 'Forbidden', reason: 'FieldValueForbidden' },
  TooLong: { text: 'Too long', reason: 'FieldValueTooLong' },
  TooMany: { text: 'Too many', reason: 'FieldValueTooMany' },
  TypeInvalid: { text: 'Invalid value', reason: 'FieldValueTypeInvalid' },
} as const;

export type FieldErrorType = keyof typeof TYPES;

/** One validation failure at a field path (`spec.template.spec.containers[0].image`). */
export interface FieldError {
  type: FieldErrorType;
  field: string;
  value?: unknown;
  /** Go type hint for formatting the bad value (e.g. 'map[string]string'). */
  goType?: string;
  detail?: string;
}

export const fieldError = {
  required: (field: string, detail?: string): FieldError => ({
    type: 'Required',
    field,
    detail,
  }),
  invalid: (
    field: string,
    value: unknown,
    detail?: string,
    goType?: string,
  ): FieldError => ({
    type: 'Invalid',
    field,
    value,
    detail,
    goType,
  }),
  notSupported: (
    field: string,
    value: unknown,
    supported: string[],
  ): FieldError => ({
    type: 'NotSupported',
    field,
    value,
    detail: `supported values: ${supported
      .map(s => JSON.stringify(s))
      .join(', ')}`,
  }),
  duplicate: (field: string, value: unknown): FieldError => ({
    type: 'Duplicate',
    field,
    value,
  }),
  forbidden: (field: string, detail: string): FieldError => ({
    type: 'Forbidden',
    field,
    detail,
  }),
  tooLong: (field: string, value: unknown, max: number): FieldError => ({
    type: 'TooLong',
    field,
    value,
    detail: `may not be more than ${max} bytes`,
  }),
  typeInvalid: (field: string, value: unknown, detail: string): FieldError => ({
    type: 'TypeInvalid',
    field,
    value,
    detail,
  }),
};

/** Formats a value the way Go's `%#v` prints decoded JSON (map[string]interface {}{...}). */
export function goValue(value: unknown, goType?: string): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean')
    return String(value);
  if (Array.isArray(value)) {
    const t = goType ?? '[]interface {}';
    return `${t}{${value.map(v => goValue(v)).join(', ')}}`;
  }
  const t = goType ?? 'map[string]interface {}';
  const entries = Object.keys(value as object)
    .sort()
    .map(
      k =>
        `${JSON.stringify(k)}:${goValue(
          (value as Record<string, unknown>)[k],
        )}`,
    );
  return `${t}{${entries.join(', ')}}`;
}

/** The part of the message after the field path, as field.Error.ErrorBody(). */
export function errorBody(e: FieldError): string {
  const t = TYPES[e.type];
  let s: string;
  if (
    e.type === 'Required' ||
    e.type === 'Forbidden' ||
    e.type === 'TooMany' ||
    e.type === 'TooLong'
  ) {
    s = t.text;
  } else {
    s = `${t.text}: ${goValue(e.value, e.goType)}`;
  }
  if (e.detail) s += `: ${e.detail}`;
  return s;
}

export function formatFieldError(e: FieldError): string {
  return `${e.field}: ${errorBody(e)}`;
}

/** 422 Invalid, as errors.NewInvalid builds it. */
export function invalidError(
  kind: string,
  group: string,
  name: string,
  errs: FieldError[],
): ApiError {
  const agg =
    errs.length === 1
      ? formatFieldError(errs[0])
      : `[${errs.map(formatFieldError).join(', ')}]`;
  return new ApiError(
    422,
    'Invalid',
    `${qualifiedKind(kind, group)} "${name}" is invalid: ${agg}`,
    {
      name,
      group: group || undefined,
      kind,
      causes: errs.map(e => ({
        reason: TYPES[e.type].reason,
        message: errorBody(e),
        field: e.field,
      })),
    },
  );
}
