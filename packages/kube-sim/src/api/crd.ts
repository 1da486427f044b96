import { builtinSchemas } from '../schema/builtin-schemas';
import { REF_PREFIX, Schema, SchemaDefs } from '../schema/types';
import { OBJECT_META } from '../schema/defs/meta';
import { FieldError, fieldError } from '../validation/field-errors';
import { isObject, JsonObject } from '../util/objects';
import {
  ALL_VERBS,
  KubeObject,
  PrinterColumn,
  ResourceType,
  SubresourceDef,
  meta,
} from './types';

export interface CrdNames {
  plural: string;
  singular: string;
  kind: string;
  listKind: string;
  shortNames: string[];
  categories: string[];
}

/** spec.names with the defaults the API server fills in (singular, listKind). */
export function crdNames(crd: KubeObject): CrdNames {
  const names =
    (((crd.spec as JsonObject | undefined)?.names ?? {}) as JsonObject) ?? {};
  const kind = String(names.kind ?? '');
  return {
    plural: String(names.plural ?? ''),
    singular: String(names.singular ?? kind.toLowerCase()),
    kind,
    listKind: String(names.listKind ?? `${kind}List`),
    shortNames: Array.isArray(names.shortNames)
      ? (names.shortNames as string[])
      : [],
    categories: Array.isArray(names.categories)
      ? (names.categories as string[])
      : [],
  };
}

/** Component name the real server gives a CRD kind's schema: reversed group, version, kind. */
export function crdSchemaName(
  group: string,
  version: string,
  kind: string,
): string {
  return `${group.split('.').reverse().join('.')}.${version}.${kind}`;
}

interface CrdVersion {
  name: string;
  served?: boolean;
  storage?: boolean;
  schema?: { openAPIV3Schema?: Schema };
  subresources?: { status?: JsonObject; scale?: JsonObject };
  additionalPrinterColumns?: PrinterColumn[];
  selectableFields?: { jsonPath: string }[];
}

function versionsOf(crd: KubeObject): CrdVersion[] {
  const v = (crd.spec as JsonObject | undefined)?.versions;
  return Array.isArray(v)
    ? (v.filter(isObject) as unknown as CrdVersion[])
    : [];
}

/** The version objects are stored at. */
export function storageVersion(crd: KubeObject): string | undefined {
  return versionsOf(crd).find(v => v.storage)?.name;
}

/** Resource types a CRD serves: one per served version. */
export function crdResourceTypes(crd: KubeObject): ResourceType[] {
  const spec = (crd.spec ?? {}) as JsonObject;
  const group = String(spec.group ?? '');
  const names = crdNames(crd);
  const namespaced = spec.scope !== 'Cluster';
  const base = builtinSchemas();
  const out: ResourceType[] = [];
  for (const v of versionsOf(crd)) {
    if (!v.served) continue;
    const schemaName = crdSchemaName(group, v.name, names.kind);
    const user = v.schema?.openAPIV3Schema ?? {
      type: 'object',
      'x-kubernetes-preserve-unknown-fields': true,
    };
    const props = { ...(user.properties ?? {}) };
    delete props.metadata;
    const root: Schema = {
      ...user,
      type: 'object',
      properties: {
        apiVersion: {
          type: 'string',
          description:
            'APIVersion defines the versioned schema of this representation of an object.',
        },
        kind: {
          type: 'string',
          description:
            'Kind is a string value representing the REST resource this object represents.',
        },
        metadata: {
          allOf: [{ $ref: REF_PREFIX + OBJECT_META }],
          description: "Standard object's metadata.",
        },
        ...props,
      },
      'x-kubernetes-group-version-kind': [
        { group, version: v.name, kind: names.kind },
      ],
    };
    const defs: SchemaDefs = { ...base, [schemaName]: root };
    const subresources: SubresourceDef[] = [];
    if (v.subresources?.status) {
      subresources.push({
        name: 'status',
        group,
        version: v.name,
        kind: names.kind,
        verbs: ['get', 'patch', 'update'],
      });
    }
    const scale = v.subresources?.scale as JsonObject | undefined;
    if (scale) {
      subresources.push({
        name: 'scale',
        group: 'autoscaling',
        version: 'v1',
        kind: 'Scale',
        verbs: ['get', 'patch', 'update'],
      });
    }
    out.push({
      group,
      version: v.name,
      kind: names.kind,
      listKind: names.listKind,
      plural: names.plural,
      singular: names.singular,
      namespaced,
      shortNames: names.shortNames,
      categories: names.categories,
      verbs: ALL_VERBS,
      subresources,
      storageKey: `${group}/${names.plural}`,
      schema: { $ref: REF_PREFIX + schemaName },
      defs,
      tracksGeneration: true,
      statusSubresource: !!v.subresources?.status,
      scale: scale
        ? {
            specReplicasPath: String(
              scale.specReplicasPath ?? '.spec.replicas',
            ),
            statusReplicasPath: String(
              scale.statusReplicasPath ?? '.status.replicas',
            ),
            labelSelectorPath:
              typeof scale.labelSelectorPath === 'string'
                ? scale.labelSelectorPath
                : undefined,
          }
        : undefined,
      strategicMerge: false,
      crd: {
        name: meta(crd).name ?? '',
        printerColumns: Array.isArray(v.additionalPrinterColumns)
          ? v.additionalPrinterColumns
          : [
              {
                name: 'Age',
                type: 'date',
                jsonPath: '.metadata.creationTimestamp',
              },
            ],
        selectableFields: (v.selectableFields ?? []).map(f =>
          String(f.jsonPath).replace(/^\./, ''),
        ),
      },
    });
  }
  return out;
}

/** Validation of a CRD object itself (the checks users actually hit). */
export function validateCrd(crd: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const spec = (crd.spec ?? {}) as JsonObject;
  const names = crdNames(crd);
  const group = String(spec.group ?? '');
  if (!group) errs.push(fieldError.required('spec.group'));
  if (!names.plural) errs.push(fieldError.required('spec.names.plural'));
  if (!names.kind) errs.push(fieldError.required('spec.names.kind'));
  if (names.plural && group && meta(crd).name !== `${names.plural}.${group}`) {
    errs.push(
      fieldError.invalid(
        'metadata.name',
        meta(crd).name ?? '',
        'must be spec.names.plural+"."+spec.group',
      ),
    );
  }
  if (spec.scope !== 'Namespaced' && spec.scope !== 'Cluster') {
    errs.push(
      fieldError.notSupported('spec.scope', spec.scope ?? '', [
        'Cluster',
        'Namespaced',
      ]),
    );
  }
  const versions = versionsOf(crd);
  if (versions.length === 0)
    errs.push(
      fieldError.required(
        'spec.versions',
        'must have exactly one version marked as storage version',
      ),
    );
  else if (versions.filter(v => v.storage).length !== 1) {
    errs.push(
      fieldError.invalid(
        'spec.versions',
        versions.map(v => v.name),
        'must have exactly one version marked as storage version',
        '[]apiextensions.CustomResourceDefinitionVersion',
      ),
    );
  }
  versions.forEach((v, i) => {
    if (!v.schema?.openAPIV3Schema) {
      errs.push(
        fieldError.required(
          `spec.versions[${i}].schema.openAPIV3Schema`,
          'schemas are required',
        ),
      );
    }
  });
  return errs;
}

/** The status the API server maintains on an accepted CRD. */
export function crdStatus(
  crd: KubeObject,
  now: string,
  previous?: JsonObject,
): JsonObject {
  const names = crdNames(crd);
  const prevConds = Array.isArray(previous?.conditions)
    ? (previous!.conditions as JsonObject[])
    : [];
  const since = (type: string) =>
    (prevConds.find(c => c.type === type)?.lastTransitionTime as string) ?? now;
  const stored = new Set<string>(
    Array.isArray(previous?.storedVersions)
      ? (previous!.storedVersions as string[])
      : [],
  );
  const sv = storageVersion(crd);
  if (sv) stored.add(sv);
  return {
    acceptedNames: {
      kind: names.kind,
      listKind: names.listKind,
      plural: names.plural,
      singular: names.singular,
      ...(names.shortNames.length ? { shortNames: names.shortNames } : {}),
      ...(names.categories.length ? { categories: names.categories } : {}),
    },
    conditions: [
      {
        type: 'NamesAccepted',
        status: 'True',
        lastTransitionTime: since('NamesAccepted'),
        reason: 'NoConflicts',
        message: 'no conflicts found',
      },
      {
        type: 'Established',
        status: 'True',
        lastTransitionTime: since('Established'),
        reason: 'InitialNamesAccepted',
        message: 'the initial names have been accepted',
      },
    ],
    storedVersions: [...stored],
  };
}
