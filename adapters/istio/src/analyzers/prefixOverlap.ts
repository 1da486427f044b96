/**
 * The HTTP prefix matches istioctl compares for overlaps (pure): a match with `uri.prefix` becomes
 * its prefix, port, method (`exact:GET` when unset), authority, and header, query parameter and
 * withoutHeaders conditions, each as `exact:v`, `prefix:v` or `` (regex and others).
 */
export interface PrefixMatch {
  rule: number;
  match: number;
  /** istioctl's names of the rule and match (`"name"` or `#n`). */
  name: string;
  matchName: string;
  prefix: string;
  port: number;
  method: string;
  authority: string;
  headers: Record<string, string>;
  queryParams: Record<string, string>;
  withoutHeaders: Record<string, string>;
}

function condition(m: any): string {
  if (typeof m?.exact === 'string' && m.exact) return `exact:${m.exact}`;
  if (typeof m?.prefix === 'string' && m.prefix) return `prefix:${m.prefix}`;
  return '';
}

const conditions = (value: unknown): Record<string, string> =>
  Object.fromEntries(
    Object.entries(value && typeof value === 'object' ? value : {}).map(
      ([k, v]) => [k, condition(v)],
    ),
  );

/** The prefix match of an HTTP match request, or undefined when it has no `uri.prefix`. */
export function prefixMatch(
  match: any,
  at: Pick<PrefixMatch, 'rule' | 'match' | 'name' | 'matchName'>,
): PrefixMatch | undefined {
  const prefix = match?.uri?.prefix;
  if (typeof prefix !== 'string' || !prefix) return undefined;
  return {
    ...at,
    prefix,
    port: Number(match.port) || 0,
    method: condition(match.method) || 'exact:GET',
    authority: condition(match.authority),
    headers: conditions(match.headers),
    queryParams: conditions(match.queryParams ?? match.query_params),
    withoutHeaders: conditions(match.withoutHeaders ?? match.without_headers),
  };
}

/** Whether `a`'s value covers `b`'s: the same, or `a`'s starts with `b`'s (istioctl's test). */
const covers = (a: string, b: string) => a === b || a.startsWith(b);

function mapCovers(a: Record<string, string>, b: Record<string, string>) {
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every(k => k in b && covers(a[k], b[k]));
}

/** Whether the earlier match `a` takes every request the later `b` would. */
function covered(a: PrefixMatch, b: PrefixMatch): boolean {
  return (
    b.prefix.startsWith(a.prefix) &&
    a.port === b.port &&
    covers(a.method, b.method) &&
    covers(a.authority, b.authority) &&
    mapCovers(a.headers, b.headers) &&
    mapCovers(a.queryParams, b.queryParams) &&
    mapCovers(a.withoutHeaders, b.withoutHeaders)
  );
}

/** Each later match covered by an earlier one with a different prefix, in istioctl's order. */
export function overlappingPrefixMatches(
  matches: readonly PrefixMatch[],
): Array<{ covered: PrefixMatch; by: PrefixMatch }> {
  const out: Array<{ covered: PrefixMatch; by: PrefixMatch }> = [];
  matches.forEach((a, i) => {
    for (const b of matches.slice(i + 1)) {
      if (b.prefix !== a.prefix && covered(a, b))
        out.push({ covered: b, by: a });
    }
  });
  return out;
}
