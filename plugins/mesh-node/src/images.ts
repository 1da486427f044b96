/**
 * The tag of a container image reference, which is how meshes expose their versions
 * (`docker.io/istio/pilot:1.24.2` → `1.24.2`). A digest (`@sha256:...`) is ignored, and a
 * registry port (`localhost:5000/istio/pilot`) is not mistaken for a tag. Returns `undefined`
 * for an untagged image, whose version cannot be told.
 * @public
 */
export function imageTag(image: string | undefined): string | undefined {
  if (!image) {
    return undefined;
  }
  const withoutDigest = image.split('@')[0];
  // The tag follows the last colon of the last path segment only.
  const lastSegment = withoutDigest.slice(withoutDigest.lastIndexOf('/') + 1);
  const colon = lastSegment.lastIndexOf(':');
  if (colon < 0) {
    return undefined;
  }
  return lastSegment.slice(colon + 1) || undefined;
}

/**
 * Sorts version strings in natural order (`1.9.0` before `1.23.4`, `stable-2.14.10` after
 * `stable-2.14.9`) and drops duplicates and empty values.
 * @public
 */
export function sortVersions(versions: Iterable<string | undefined>): string[] {
  const unique = new Set<string>();
  for (const v of versions) {
    if (v) unique.add(v);
  }
  return [...unique].sort((a, b) =>
    a.localeCompare(b, 'en', { numeric: true }),
  );
}
