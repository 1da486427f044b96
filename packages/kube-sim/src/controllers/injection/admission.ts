import { AdmissionPlugin, ObjectApi } from '../../api/object-api';
import { KubeObject, meta, ResourceType } from '../../api/types';
import { isObject, JsonObject } from '../../util/objects';
import { decideIstio, findIstioControlPlanes, injectIstio } from './istio';
import {
  decideLinkerd,
  findLinkerdControlPlanes,
  injectLinkerd,
} from './linkerd';

/** Name of the Deployment a ReplicaSet-owned pod belongs to (`web-7d4b9c8f5` → `web`). */
function workloadName(pod: KubeObject): string | undefined {
  const ref = (meta(pod).ownerReferences ?? []).find(r => r.controller);
  if (!ref) return undefined;
  if (ref.kind === 'ReplicaSet') return ref.name.replace(/-[a-z0-9]+$/, '');
  return ref.name;
}

/**
 * What the meshes' mutating webhooks would do on pod creation: decides with
 * the pure istio/linkerd modules and applies their injection in place.
 */
export class SidecarInjection implements AdmissionPlugin {
  admit(
    type: ResourceType,
    obj: KubeObject,
    old: KubeObject | undefined,
    api: ObjectApi,
  ): void {
    if (type.storageKey !== '/pods' || old) return;
    const m = meta(obj);
    const ns = api.store.get('/namespaces', '', m.namespace ?? '');
    if (!ns) return;
    const deployments = api.store.list('apps/deployments');
    const containerNames = (
      ((obj.spec as JsonObject)?.containers ?? []) as unknown[]
    )
      .filter(isObject)
      .map(c => String(c.name));
    const ctx = {
      labels: m.labels ?? {},
      annotations: m.annotations ?? {},
      namespaceLabels: meta(ns).labels ?? {},
      containerNames,
    };
    let result = obj;
    const istio = decideIstio(ctx, findIstioControlPlanes(deployments));
    if (istio) result = injectIstio(result, istio);
    const linkerd = decideLinkerd(
      ctx,
      meta(ns).annotations ?? {},
      findLinkerdControlPlanes(
        deployments,
        n =>
          meta(api.store.get('/namespaces', '', n)).labels ??
          (api.store.get('/namespaces', '', n) ? {} : undefined),
      ),
    );
    if (linkerd) result = injectLinkerd(result, linkerd, workloadName(obj));
    if (result !== obj) {
      for (const k of Object.keys(obj)) delete obj[k];
      Object.assign(obj, result);
    }
  }
}
