import {
  formatLabelSelectorSpec,
  LabelSelectorSpec,
} from '../selectors/label-selector';
import { getPath, isObject, JsonObject, setPath } from '../util/objects';
import { KubeObject, meta, ResourceType } from './types';

function pathOf(jsonPath: string): string[] {
  return jsonPath.replace(/^\./, '').split('.');
}

/** The autoscaling/v1 Scale view of a scalable object. */
export function toScale(type: ResourceType, obj: KubeObject): JsonObject {
  const spec = type.scale!;
  const m = meta(obj);
  const sel = spec.labelSelectorPath
    ? getPath(obj, pathOf(spec.labelSelectorPath))
    : undefined;
  let selector: string | undefined;
  if (typeof sel === 'string') selector = sel;
  else if (isObject(sel))
    selector = formatLabelSelectorSpec(sel as LabelSelectorSpec);
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: m.name,
      ...(m.namespace ? { namespace: m.namespace } : {}),
      uid: m.uid,
      resourceVersion: m.resourceVersion,
      creationTimestamp: m.creationTimestamp,
    },
    spec: {
      replicas: Number(getPath(obj, pathOf(spec.specReplicasPath)) ?? 0),
    },
    status: {
      replicas: Number(getPath(obj, pathOf(spec.statusReplicasPath)) ?? 0),
      ...(selector && selector !== '<none>' ? { selector } : {}),
    },
  };
}

/** Writes the desired replicas from a Scale into a copy of the object. */
export function withReplicas(
  type: ResourceType,
  obj: KubeObject,
  replicas: number,
): KubeObject {
  const next = structuredClone(obj) as KubeObject;
  setPath(next, pathOf(type.scale!.specReplicasPath), replicas);
  return next;
}
