import fs from 'node:fs';
import { KubeConfig } from '@kubernetes/client-node';
import type { ClusterConfig } from './types';

/** Where Kubernetes mounts a pod's service-account token. */
const IN_CLUSTER_TOKEN_FILE =
  '/var/run/secrets/kubernetes.io/serviceaccount/token';

/**
 * Turns a configured cluster into a client-node `KubeConfig`, or throws why MeshStage cannot use
 * it. Only `authProvider: serviceAccount` is supported for now: with `serviceAccountToken`, or,
 * like the Kubernetes plugin, with the pod's own token when the backend runs in a cluster.
 */
export function createKubeConfig(
  cluster: ClusterConfig,
  options: { inClusterTokenFile?: string } = {},
): KubeConfig {
  let url: URL;
  try {
    url = new URL(cluster.url);
  } catch {
    throw new Error(`url '${cluster.url}' is not a valid URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new Error(`url '${cluster.url}' must use http:// or https://`);
  }
  // client-node refuses plain HTTP unless TLS verification is off; say so up front rather than
  // on every request.
  if (url.protocol === 'http:' && !cluster.skipTLSVerify) {
    throw new Error(
      `url '${cluster.url}' is plain http://, which @kubernetes/client-node only allows with skipTLSVerify: true`,
    );
  }
  if (cluster.authProvider !== 'serviceAccount') {
    throw new Error(
      cluster.authProvider
        ? `authProvider '${cluster.authProvider}' is not supported by MeshStage yet; use 'serviceAccount'`
        : `no authProvider configured; use 'serviceAccount' with serviceAccountToken`,
    );
  }
  const tokenFile = options.inClusterTokenFile ?? IN_CLUSTER_TOKEN_FILE;
  let user;
  if (cluster.serviceAccountToken) {
    user = { name: 'meshstage', token: cluster.serviceAccountToken };
  } else if (fs.existsSync(tokenFile)) {
    // client-node's file auth re-reads the token, so projected-token rotation keeps working.
    user = {
      name: 'meshstage',
      authProvider: { name: 'tokenFile', config: { tokenFile } },
    };
  } else {
    throw new Error(
      `authProvider 'serviceAccount' needs serviceAccountToken when the backend does not run in a cluster`,
    );
  }

  const kc = new KubeConfig();
  kc.loadFromClusterAndUser(
    {
      name: cluster.name,
      server: cluster.url,
      skipTLSVerify: cluster.skipTLSVerify,
      caData: cluster.caData,
      caFile: cluster.caFile,
    },
    user,
  );
  return kc;
}
