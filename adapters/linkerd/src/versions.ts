/** Linkerd versions this adapter can install or upgrade to, oldest first. */
export const LINKERD_SUPPORTED_VERSIONS: readonly string[] = [
  'stable-2.14.10',
  'edge-24.11.8',
];
