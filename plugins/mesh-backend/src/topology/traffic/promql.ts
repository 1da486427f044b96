/** A Prometheus duration: one or more `<number><unit>` (`30s`, `5m`, `1h30m`, `250ms`). */
const DURATION = /^(\d+(ms|s|m|h|d|w|y))+$/;

/** Whether `text` is a Prometheus duration such as `5m` or `1h30m` (and not zero). */
export function isPrometheusDuration(text: string): boolean {
  return DURATION.test(text) && /[1-9]/.test(text);
}

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Whether `text` is a valid Prometheus label name. */
export function isLabelName(text: string): boolean {
  return LABEL_NAME.test(text);
}

/** `text` as a PromQL double-quoted string literal. */
export function promString(text: string): string {
  return `"${text
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/\n/g, '\\n')}"`;
}

/**
 * A label matcher selecting any of `values` exactly: `label="a"`, or `label=~"a|b"` with each
 * value's regular-expression characters escaped.
 */
export function anyOfMatcher(label: string, values: string[]): string {
  if (values.length === 1) return `${label}=${promString(values[0])}`;
  const alternatives = values.map(v =>
    v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
  );
  return `${label}=~${promString(alternatives.join('|'))}`;
}
