import { InputError } from '@backstage/errors';
import type { BenchmarkProfileInput } from '@meshstage/plugin-mesh-common';

/** The name an inline profile gets when the template gives none. */
export const DEFAULT_INLINE_NAME = 'scaffolder mesh:benchmark';

/**
 * Checks what a dry run can check of inline benchmark settings without the backend: each endpoint
 * is an `http(s)://` URL (or gRPC's `host:port`), and duration and request count are not both
 * given. The backend checks the rest when the run is queued (formats, limits, allowed hosts);
 * it has no validate-only route. Returns the settings with a default name. Pure.
 */
export function checkInlineSettings(
  settings: Omit<BenchmarkProfileInput, 'name'> & { name?: string },
): BenchmarkProfileInput {
  if (!settings.endpoints?.length) {
    throw new InputError(
      "Invalid input 'settings.endpoints': give at least one endpoint ({ url: ... })",
    );
  }
  settings.endpoints.forEach((e, i) => {
    const field = `settings.endpoints.${i}.url`;
    if (settings.protocol === 'grpc' && /^[^/\s]+:\d+$/.test(e.url)) return;
    let url: URL | undefined;
    try {
      url = new URL(e.url);
    } catch {
      url = undefined;
    }
    if (
      !url ||
      !['http:', 'https:', 'grpc:', 'grpcs:'].includes(url.protocol)
    ) {
      throw new InputError(
        `Invalid input '${field}': '${e.url}' is not an http:// or https:// URL`,
      );
    }
  });
  if (settings.duration !== undefined && settings.requestCount !== undefined) {
    throw new InputError(
      "Invalid input 'settings.requestCount': give either duration or requestCount, not both",
    );
  }
  return { ...settings, name: settings.name || DEFAULT_INLINE_NAME };
}
