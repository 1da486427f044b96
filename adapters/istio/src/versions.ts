/**
 * Istio versions this adapter can install or upgrade to, oldest first. Kept to releases whose
 * manifests the lifecycle work renders and tests.
 */
export const ISTIO_SUPPORTED_VERSIONS: readonly string[] = ['1.23.4', '1.24.2'];
