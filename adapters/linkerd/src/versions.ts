/**
 * Linkerd versions this adapter can install or upgrade to, oldest first. edge-26.5.5, edge-26.8.3
 * and stable-2.14.10 are checked against the vendor's own `helm template` output
 * (`manifests/vendorParity.test.ts`).
 */
export const LINKERD_SUPPORTED_VERSIONS: readonly string[] = [
  'stable-2.14.10',
  'edge-24.11.8',
  'edge-26.5.5',
  'edge-26.8.3',
];
