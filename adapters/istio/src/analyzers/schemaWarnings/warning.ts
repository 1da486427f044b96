/** One warning of Istio's validation: where in the resource, and Istio's text. */
export interface SchemaWarning {
  path: string;
  text: string;
}

/** Absent as Istio's YAML reading sees it (`null` too). */
export const absent = (v: unknown): boolean => v === undefined || v === null;

/** An object field, or `{}` when absent or not an object. */
export function obj(value: unknown): Record<string, any> {
  return value && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, any>)
    : {};
}

/** A non-empty string or a non-empty list, as Go's `!= ""` / `len(...) > 0` see it. */
export const present = (v: unknown): boolean =>
  (typeof v === 'string' && v !== '') || (Array.isArray(v) && v.length > 0);

/** A Go `%v` of a string slice: `[a b]`. */
export const goList = (items: string[]): string => `[${items.join(' ')}]`;

/** Whether a protocol name is HTTP to Istio (`protocol.Parse(...).IsHTTP()`). */
export function isHttpProtocol(name: unknown): boolean {
  return ['http', 'http2', 'http_proxy', 'grpc', 'grpc-web'].includes(
    String(name ?? '').toLowerCase(),
  );
}
