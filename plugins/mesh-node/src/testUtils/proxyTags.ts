import type { KubePod, MeshClusterView } from '../kube';
import { kubeResources } from '../kube';
import { imageTag, sortVersions } from '../images';
import { findProxyContainer } from '../pods';

/**
 * The proxy versions (image tags) running in a namespace's live pods, once every one of them has
 * a proxy; `undefined` while some pod still has none. Poll it with `eventually` after onboarding
 * or upgrading to wait for the data plane to settle.
 * @public
 */
export async function podProxyTags(
  cluster: MeshClusterView,
  namespace: string,
  proxyContainerNames: readonly string[],
): Promise<string[] | undefined> {
  const pods = await cluster.list<KubePod>(kubeResources.pods, { namespace });
  const live = pods.filter(p => !p.metadata.deletionTimestamp);
  const tags = live.map(p =>
    imageTag(findProxyContainer(p, proxyContainerNames)?.image),
  );
  return live.length > 0 && tags.every(Boolean)
    ? sortVersions(tags)
    : undefined;
}
