import { KubeObject, meta, ResourceType } from '../api/types';
import { JsonObject } from '../util/objects';
import { printerFor } from './printers';

export type IncludeObject = 'None' | 'Metadata' | 'Object';

/** The PartialObjectMetadata a Table row carries by default. */
export function partialObjectMetadata(obj: KubeObject): JsonObject {
  return {
    kind: 'PartialObjectMetadata',
    apiVersion: 'meta.k8s.io/v1',
    metadata: meta(obj),
  };
}

/** Builds a meta.k8s.io/v1 Table for objects of a type, as the API server's printers do. */
export function buildTable(
  type: ResourceType,
  objects: KubeObject[],
  opts: {
    now: number;
    includeObject?: IncludeObject;
    listMeta?: JsonObject;
    apiVersion?: string;
  },
): JsonObject {
  const printer = printerFor(type.storageKey, type.crd?.printerColumns);
  const include = opts.includeObject ?? 'Metadata';
  return {
    kind: 'Table',
    apiVersion: opts.apiVersion ?? 'meta.k8s.io/v1',
    metadata: opts.listMeta ?? {},
    columnDefinitions: printer.columns,
    rows: objects.map(o => {
      const row: JsonObject = { cells: printer.cells(o, opts.now) };
      const conds = printer.conditions?.(o);
      if (conds) row.conditions = conds;
      if (include === 'Object') row.object = o;
      else if (include === 'Metadata') row.object = partialObjectMetadata(o);
      return row;
    }),
  };
}
