import type { ObjectRef } from './lifecycle';

/**
 * One field whose live value differs from what MeshStage applied.
 * @public
 */
export interface DriftDifference {
  /** JSON pointer into the object, e.g. `/spec/template/spec/containers/discovery/image`
   * (list items with a `name` are addressed by that name, as Kubernetes merges them). */
  path: string;
  /** The value MeshStage applied. */
  desired: unknown;
  /** The live value; absent when the field was removed. */
  live?: unknown;
}

/** How one applied object compares with the cluster. @public */
export interface DriftObject {
  ref: ObjectRef;
  /** `missing`: deleted out of band; `modified`: some managed fields differ. */
  status: 'in-sync' | 'modified' | 'missing';
  differences: DriftDifference[];
  /** The operation that last applied the object. */
  operationId: string;
}

/**
 * Drift of one mesh on one cluster (`GET /api/mesh/drift`): every object MeshStage applied and
 * still owns, compared field by field on the fields it set.
 * @public
 */
export interface DriftReport {
  cluster: string;
  mesh: string;
  /** ISO time the live objects were read. */
  checkedAt: string;
  /** True when any object is modified or missing. */
  drifted: boolean;
  objects: DriftObject[];
  /** Set when the cluster could not be read; `objects` is then empty. */
  error?: string;
}
