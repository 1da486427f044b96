import type { KubeObject } from '@meshstage/plugin-mesh-node';

/**
 * The `values` document of the `linkerd-config` ConfigMap (the control plane's Helm values), read
 * without a YAML parser (adapters carry none): only what analyzers need, top-level scalars and the
 * PEM text of `identityTrustAnchorsPEM`. The chart writes YAML; MeshStage's built-in renderer
 * writes JSON; both are read.
 */

/** The ConfigMap's `values` text, if any. */
export function valuesText(configMap: KubeObject | undefined): string {
  const v = (configMap as { data?: Record<string, unknown> } | undefined)?.data
    ?.values;
  return typeof v === 'string' ? v : '';
}

function asJson(text: string): Record<string, unknown> | undefined {
  if (!text.trimStart().startsWith('{')) return undefined;
  try {
    const v = JSON.parse(text);
    return v && typeof v === 'object' ? v : undefined;
  } catch {
    return undefined;
  }
}

/** A top-level scalar of the values (`clusterNetworks`), as text; undefined when absent. */
export function topLevelValue(text: string, key: string): string | undefined {
  const json = asJson(text);
  if (json) {
    const v = json[key];
    return typeof v === 'string' || typeof v === 'number'
      ? String(v)
      : undefined;
  }
  const m = new RegExp(`^${key}:[ \\t]*(.*?)[ \\t]*$`, 'm').exec(text);
  if (!m) return undefined;
  const raw = m[1].replace(/\s+#.*$/, '');
  const quoted = /^"(.*)"$|^'(.*)'$/.exec(raw);
  return quoted ? quoted[1] ?? quoted[2] : raw;
}

/**
 * The text of `identityTrustAnchorsPEM` (its PEM blocks are what matters): the JSON string, or in
 * YAML the key's line and the indented lines under it.
 */
export function trustAnchorsText(text: string): string {
  const json = asJson(text);
  if (json) {
    const v = json.identityTrustAnchorsPEM;
    return typeof v === 'string' ? v : '';
  }
  const lines = text.split('\n');
  const start = lines.findIndex(l => /^identityTrustAnchorsPEM:/.test(l));
  if (start < 0) return '';
  const out = [lines[start].replace(/^identityTrustAnchorsPEM:/, '')];
  for (const line of lines.slice(start + 1)) {
    if (/^\S/.test(line)) break;
    out.push(line.trim());
  }
  return out.join('\n');
}
