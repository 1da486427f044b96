import type { KubeObject } from './kube';

/** A label of an object, or `undefined`. @public */
export function labelOf(obj: KubeObject, key: string): string | undefined {
  return obj.metadata.labels?.[key];
}

/** An annotation of an object, or `undefined`. @public */
export function annotationOf(obj: KubeObject, key: string): string | undefined {
  return obj.metadata.annotations?.[key];
}
