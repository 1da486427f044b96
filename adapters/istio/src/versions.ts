/**
 * Istio versions this adapter can install or upgrade to, oldest first. Kept to releases whose
 * manifests the built-in renderer produces and tests; 1.29.6 and 1.30.3 are checked against the
 * vendor's own `helm template` output (`manifests/vendorParity.test.ts`).
 */
export const ISTIO_SUPPORTED_VERSIONS: readonly string[] = [
  '1.23.4',
  '1.24.2',
  '1.29.6',
  '1.30.3',
];
