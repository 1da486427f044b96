import { stringify } from 'yaml';

/**
 * The impersonation user that carries the token for kubectl over plain http.
 * client-go reads no credentials at all for plain-http servers (clientcmd
 * only loads them when the transport is TLS), but it does send
 * `Impersonate-User` from the user's `as` field; kube-sim accepts the token
 * either way in http mode.
 */
export function tokenUser(token: string): string {
  return `kube-sim:${token}`;
}

/**
 * A kubeconfig for the simulator. With `caData` (base64 PEM of the CA; https
 * mode) it is what a real cluster's looks like: the CA to verify the server
 * and a bearer token. Without it (plain http): `insecure-skip-tls-verify`
 * (client-node refuses http without it), the bearer token (client-node sends
 * it) and the token again as the impersonated user name for kubectl.
 */
export function renderKubeconfig(
  url: string,
  token: string,
  name = 'kube-sim',
  caData?: string,
): string {
  const cluster = caData
    ? { server: url, 'certificate-authority-data': caData }
    : { server: url, 'insecure-skip-tls-verify': true };
  const user = caData ? { token } : { token, as: tokenUser(token) };
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name, cluster }],
    users: [{ name, user }],
    contexts: [
      { name, context: { cluster: name, user: name, namespace: 'default' } },
    ],
    'current-context': name,
    preferences: {},
  });
}
