import { stringify } from 'yaml';

/**
 * The impersonation user that carries the token for kubectl. client-go reads
 * no credentials at all for plain-http servers (clientcmd only loads them
 * when the transport is TLS), but it does send `Impersonate-User` from the
 * user's `as` field; kube-sim accepts the token either way.
 */
export function tokenUser(token: string): string {
  return `kube-sim:${token}`;
}

/**
 * A kubeconfig for the simulator: plain http, bearer token (client-node sends
 * it), `insecure-skip-tls-verify` (client-node refuses http without it), and
 * the token again as the impersonated user name for kubectl.
 */
export function renderKubeconfig(
  url: string,
  token: string,
  name = 'kube-sim',
): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      { name, cluster: { server: url, 'insecure-skip-tls-verify': true } },
    ],
    users: [{ name, user: { token, as: tokenUser(token) } }],
    contexts: [
      { name, context: { cluster: name, user: name, namespace: 'default' } },
    ],
    'current-context': name,
    preferences: {},
  });
}
