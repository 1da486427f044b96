import { crdStatus } from '../api/crd';
import { KubeObject, meta } from '../api/types';
import { StoreEvent } from '../store/store';
import { clone, JsonObject } from '../util/objects';
import { nowTimestamp } from '../util/time';
import { Controller, ControllerContext } from './manager';
import { writeStatusIfChanged } from './util';

export const CRD_FINALIZER = 'customresourcecleanup.apiextensions.k8s.io';
const CRD_KEY = 'apiextensions.k8s.io/customresourcedefinitions';

/**
 * Accepts CRDs (Established/NamesAccepted conditions, acceptedNames) and, when
 * one is deleted, deletes its custom objects before releasing the finalizer.
 */
export class CrdController implements Controller {
  readonly name = 'crd';
  readonly watches = {
    [CRD_KEY]: (e: StoreEvent) => [String(meta(e.object).name)],
  };

  initialKeys(ctx: ControllerContext): string[] {
    return ctx.api.store.list(CRD_KEY).map(c => String(meta(c).name));
  }

  reconcile(name: string, ctx: ControllerContext): void {
    const type = ctx.type('apiextensions.k8s.io', 'customresourcedefinitions');
    const crd = ctx.api.tryGet(type, '', name);
    if (!crd) return;
    const now = nowTimestamp(ctx.now());
    if (meta(crd).deletionTimestamp) {
      const spec = crd.spec as JsonObject;
      const storageKey = `${spec.group}/${(spec.names as JsonObject).plural}`;
      const crTypes = ctx.api.registry.byStorageKey(storageKey);
      const objects = ctx.api.store.list(storageKey);
      for (const o of objects) {
        if (meta(o).deletionTimestamp || !crTypes[0]) continue;
        try {
          ctx.api.delete(
            crTypes[0],
            meta(o).namespace ?? '',
            meta(o).name!,
            {},
            {},
          );
        } catch {
          // gone
        }
      }
      if (ctx.api.store.count(storageKey) === 0) {
        const next = clone(crd) as KubeObject;
        meta(next).finalizers = (meta(next).finalizers ?? []).filter(
          f => f !== CRD_FINALIZER,
        );
        ctx.api.update(type, '', name, next, {
          fieldManager: 'kube-apiserver',
        });
      } else {
        ctx.enqueue(this.name, name, 100);
      }
      return;
    }
    const status = crdStatus(crd, now, crd.status as JsonObject | undefined);
    writeStatusIfChanged(ctx, type, crd, status, 'kube-apiserver');
  }
}
