import { InputError } from '@backstage/errors';
import type { BenchmarkRun } from '@meshstage/plugin-mesh-common';
import type { ProfileSpec } from './profileSchema';
import { SecretBox } from './SecretBox';

/**
 * What API responses show for the value of a header marked secret; sent back unchanged in a
 * profile update, it keeps the stored value.
 */
export const SECRET_MASK = '***';

type Endpoint = ProfileSpec['endpoints'][number];

/** The header names of `headers` that `secretHeaders` marks (case-insensitive). */
function secretNames(e: Endpoint): string[] {
  const marked = new Set((e.secretHeaders ?? []).map(n => n.toLowerCase()));
  return Object.keys(e.headers ?? {}).filter(n => marked.has(n.toLowerCase()));
}

/** A profile with each secret header value replaced by what `replace` makes of it. */
function mapSecrets(
  spec: ProfileSpec,
  replace: (value: string, at: { endpoint: number; header: string }) => string,
): ProfileSpec {
  if (!spec.endpoints.some(e => e.secretHeaders?.length)) return spec;
  return {
    ...spec,
    endpoints: spec.endpoints.map((e, i) => {
      const names = secretNames(e);
      if (names.length === 0) return e;
      const headers = { ...e.headers };
      for (const header of names) {
        headers[header] = replace(headers[header], { endpoint: i, header });
      }
      return { ...e, headers };
    }),
  };
}

/**
 * The profile as stored: every secret header value sealed. A value of {@link SECRET_MASK} keeps
 * the value `previous` (the stored profile being replaced) holds for that endpoint and header;
 * without one it is a 400 naming the field. Values that are sealed already (a stored profile
 * queued as a run) stay as they are.
 */
export function sealSecretHeaders(
  spec: ProfileSpec,
  box: SecretBox,
  options: { previous?: ProfileSpec; field?: string } = {},
): ProfileSpec {
  const { previous, field = 'body field' } = options;
  return mapSecrets(spec, (value, { endpoint, header }) => {
    if (SecretBox.isSealed(value)) return value;
    if (value !== SECRET_MASK) return box.seal(value);
    const before = previous?.endpoints[endpoint];
    const kept = before
      ? Object.entries(before.headers ?? {}).find(
          ([name]) => name.toLowerCase() === header.toLowerCase(),
        )?.[1]
      : undefined;
    if (!kept || !SecretBox.isSealed(kept)) {
      throw new InputError(
        `Invalid ${field} 'endpoints.${endpoint}.headers.${header}': '${SECRET_MASK}' keeps a stored secret value, and there is none; give the value`,
      );
    }
    return kept;
  });
}

/** The profile as API responses show it: every secret header value {@link SECRET_MASK}. */
export function maskSecretHeaders<T extends ProfileSpec>(spec: T): T {
  return mapSecrets(spec, () => SECRET_MASK) as T;
}

/** A run as API responses show it: its profile's secret header values masked. */
export function maskRunSecrets<T extends BenchmarkRun>(run: T): T {
  return { ...run, profile: maskSecretHeaders(run.profile) };
}

/**
 * The profile as it runs, every sealed secret header value opened, and those values (for taking
 * them out of error messages). Throws naming the header, never a value, when a value cannot be
 * opened (sealed under another `mesh.benchmark.secretKey`).
 */
export function openSecretHeaders(
  spec: ProfileSpec,
  box: SecretBox | undefined,
): { profile: ProfileSpec; values: string[] } {
  const values: string[] = [];
  const profile = mapSecrets(spec, (value, { endpoint, header }) => {
    if (!SecretBox.isSealed(value)) {
      values.push(value);
      return value;
    }
    try {
      const opened = box!.open(value);
      values.push(opened);
      return opened;
    } catch {
      throw new Error(
        `the secret value of header ${header} of endpoint ${endpoint} cannot be read: it was saved under another mesh.benchmark.secretKey (or before a restart without one); save the profile again with the value`,
      );
    }
  });
  return { profile, values };
}

/** `text` with every occurrence of each secret value replaced by {@link SECRET_MASK}. */
export function redactSecrets(text: string, values: string[]): string {
  let out = text;
  // Longest first, so a value containing another is not left half-masked.
  for (const v of [...values].sort((a, b) => b.length - a.length)) {
    if (v) out = out.split(v).join(SECRET_MASK);
  }
  return out;
}
