/** Helm values: a YAML map. */
export type HelmValues = Record<string, unknown>;

function isMap(value: unknown): value is HelmValues {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Merges values layers in order with Helm's rules: maps merge key by key, a later scalar or
 * list replaces an earlier one (lists are never concatenated), and a `null` is kept so that Helm
 * removes the chart's default for that key. Inputs are not modified.
 */
export function mergeValues(
  ...layers: Array<HelmValues | undefined>
): HelmValues {
  const out: HelmValues = {};
  for (const layer of layers) {
    if (!layer) continue;
    if (!isMap(layer)) throw new Error('Helm values must be a map');
    for (const [key, value] of Object.entries(layer)) {
      const current = out[key];
      out[key] =
        isMap(current) && isMap(value)
          ? mergeValues(current, value)
          : structuredClone(value);
    }
  }
  return out;
}
