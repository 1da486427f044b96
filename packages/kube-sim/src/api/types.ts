import type { Schema, SchemaDefs } from '../schema/types';
import type { JsonObject } from '../util/objects';

/** Any Kubernetes object as JSON. `metadata` is always present on stored objects. */
export type KubeObject = JsonObject & {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
};

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  finalizers?: string[];
  managedFields?: JsonObject[];
  [key: string]: unknown;
}

/** Reads metadata of an object (empty object when missing). */
export function meta(obj: KubeObject | undefined): ObjectMeta {
  return (obj?.metadata ?? {}) as ObjectMeta;
}

export interface SubresourceDef {
  name: string;
  group: string;
  version: string;
  kind: string;
  verbs: string[];
}

/** A printer column of a CRD (`additionalPrinterColumns`). */
export interface PrinterColumn {
  name: string;
  type: string;
  format?: string;
  description?: string;
  priority?: number;
  jsonPath: string;
}

/** Scale subresource paths (fixed for built-in kinds, from the CRD for custom ones). */
export interface ScaleSpec {
  specReplicasPath: string;
  statusReplicasPath: string;
  labelSelectorPath?: string;
}

/**
 * Everything the server needs to know about one resource at one served
 * version: names for URLs and discovery, scope, verbs, its schema and the
 * behaviours that differ between kinds.
 */
export interface ResourceType {
  group: string;
  version: string;
  kind: string;
  listKind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  verbs: string[];
  subresources: SubresourceDef[];
  /** Identity of the stored collection: `<group>/<plural>` (shared by the versions of a CRD). */
  storageKey: string;
  /** Root schema (usually a `$ref`) and the definitions it refers to. */
  schema?: Schema;
  defs: SchemaDefs;
  /** metadata.generation is maintained (bumped on spec changes). */
  tracksGeneration: boolean;
  /** Has a status subresource: main-resource writes keep the stored status. */
  statusSubresource: boolean;
  scale?: ScaleSpec;
  /** Accepts application/strategic-merge-patch+json (built-in kinds only). */
  strategicMerge: boolean;
  /** Computed per request, never stored (metrics, access reviews). */
  virtual?: 'podmetrics' | 'nodemetrics' | 'review';
  /** Set for custom resources. */
  crd?: {
    name: string;
    printerColumns: PrinterColumn[];
    selectableFields: string[];
  };
}

export const ALL_VERBS = [
  'create',
  'delete',
  'deletecollection',
  'get',
  'list',
  'patch',
  'update',
  'watch',
];

export function apiVersionOf(t: { group: string; version: string }): string {
  return t.group ? `${t.group}/${t.version}` : t.version;
}

/** Splits `apps/v1` into group and version (`v1` → core). */
export function parseApiVersion(apiVersion: string): {
  group: string;
  version: string;
} {
  const i = apiVersion.indexOf('/');
  return i < 0
    ? { group: '', version: apiVersion }
    : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
}
