/** One media range of an Accept header with its parameters. */
export interface MediaRange {
  type: string;
  params: Record<string, string>;
}

export function parseAccept(header: string | undefined): MediaRange[] {
  if (!header) return [{ type: '*/*', params: {} }];
  return header
    .split(',')
    .map(part => {
      const [type, ...rest] = part.split(';').map(s => s.trim());
      const params: Record<string, string> = {};
      for (const p of rest) {
        const i = p.indexOf('=');
        if (i > 0)
          params[p.slice(0, i).trim().toLowerCase()] = p.slice(i + 1).trim();
      }
      return { type: type.toLowerCase(), params };
    })
    .filter(
      m => m.type && (m.params.q === undefined || Number(m.params.q) > 0),
    );
}

export type ObjectFormat =
  | { kind: 'json' }
  | { kind: 'yaml' }
  | { kind: 'table'; version: 'v1' | 'v1beta1' }
  | { kind: 'partial'; version: 'v1' | 'v1beta1' };

const JSONISH = new Set(['application/json', '*/*', 'application/*']);

/**
 * Picks the representation for object responses, honouring the client's
 * order: Table (`as=Table;g=meta.k8s.io`), PartialObjectMetadata, JSON or
 * YAML. Undefined when nothing acceptable is offered (406).
 */
export function negotiateObjectFormat(
  accept: string | undefined,
): ObjectFormat | undefined {
  for (const m of parseAccept(accept)) {
    const as = m.params.as;
    if (as) {
      if (m.type !== 'application/json' || m.params.g !== 'meta.k8s.io')
        continue;
      if (m.params.v !== 'v1' && m.params.v !== 'v1beta1') continue;
      const v = m.params.v;
      if (as === 'Table') return { kind: 'table', version: v };
      if (as === 'PartialObjectMetadata' || as === 'PartialObjectMetadataList')
        return { kind: 'partial', version: v };
      continue;
    }
    if (JSONISH.has(m.type)) return { kind: 'json' };
    if (m.type === 'application/yaml') return { kind: 'yaml' };
  }
  return undefined;
}

/** The aggregated discovery version asked for, if any (`as=APIGroupDiscoveryList`). */
export function negotiateDiscovery(
  accept: string | undefined,
): 'v2' | 'v2beta1' | undefined {
  for (const m of parseAccept(accept)) {
    if (
      m.params.as === 'APIGroupDiscoveryList' &&
      m.params.g === 'apidiscovery.k8s.io'
    ) {
      if (m.params.v === 'v2') return 'v2';
      if (m.params.v === 'v2beta1') return 'v2beta1';
      continue;
    }
    if (JSONISH.has(m.type)) return undefined;
  }
  return undefined;
}

/** The media type of a request body, lower-cased without parameters. */
export function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0].trim().toLowerCase();
}
