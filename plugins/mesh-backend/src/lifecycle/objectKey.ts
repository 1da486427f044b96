import type { ObjectRef } from '@meshstage/plugin-mesh-common';

/** A stable string key of an object reference: `apiVersion|kind|namespace|name`. */
export function objectKey(ref: ObjectRef): string {
  return [ref.apiVersion, ref.kind, ref.namespace ?? '', ref.name].join('|');
}
