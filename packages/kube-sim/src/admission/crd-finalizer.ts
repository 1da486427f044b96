import { AdmissionPlugin } from '../api/object-api';
import { KubeObject, meta, ResourceType } from '../api/types';
import { CRD_FINALIZER } from '../controllers/crd';

/** New CRDs get the cleanup finalizer, so deleting one first deletes its objects. */
export class CrdFinalizer implements AdmissionPlugin {
  admit(
    type: ResourceType,
    obj: KubeObject,
    old: KubeObject | undefined,
  ): void {
    if (
      type.storageKey !== 'apiextensions.k8s.io/customresourcedefinitions' ||
      old
    )
      return;
    const m = meta(obj);
    if (!(m.finalizers ?? []).includes(CRD_FINALIZER))
      m.finalizers = [...(m.finalizers ?? []), CRD_FINALIZER];
  }
}
