import { SchemaBuilder, s } from '../builder';

export const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';
export const OBJECT_META = `${META}.ObjectMeta`;
export const LIST_META = `${META}.ListMeta`;
export const LABEL_SELECTOR = `${META}.LabelSelector`;
export const CONDITION = `${META}.Condition`;

/** apiVersion/kind/metadata, shared by every kind. */
export function typeMeta(
  kind: string,
): Record<string, ReturnType<typeof s.str>> {
  return {
    apiVersion: s.str(
      'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values.',
    ),
    kind: s.str(
      `Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. (${kind})`,
    ),
  };
}

export function defineMeta(b: SchemaBuilder): void {
  b.define(
    `${META}.OwnerReference`,
    s.obj(
      {
        apiVersion: s.str('API version of the referent.'),
        blockOwnerDeletion: s.bool(
          'If true, AND if the owner has the "foregroundDeletion" finalizer, then the owner cannot be deleted from the key-value store until this reference is removed.',
        ),
        controller: s.bool(
          'If true, this reference points to the managing controller.',
        ),
        kind: s.str('Kind of the referent.'),
        name: s.str('Name of the referent.'),
        uid: s.str('UID of the referent.'),
      },
      'OwnerReference contains enough information to let you identify an owning object. An owning object must be in the same namespace as the dependent, or be cluster-scoped, so there is no namespace field.',
      {
        required: ['apiVersion', 'kind', 'name', 'uid'],
        'x-kubernetes-map-type': 'atomic',
      },
    ),
  );
  b.define(
    `${META}.ManagedFieldsEntry`,
    s.obj(
      {
        apiVersion: s.str(
          'APIVersion defines the version of this resource that this field set applies to.',
        ),
        fieldsType: s.str(
          'FieldsType is the discriminator for the different fields format and version. There is currently only one possible value: "FieldsV1"',
        ),
        fieldsV1: s.open(
          'FieldsV1 holds the first JSON version format as described in the "FieldsV1" type.',
        ),
        manager: s.str(
          'Manager is an identifier of the workflow managing these fields.',
        ),
        operation: s.str(
          "Operation is the type of operation which lead to this ManagedFieldsEntry being created. The only valid values for this field are 'Apply' and 'Update'.",
        ),
        subresource: s.str(
          'Subresource is the name of the subresource used to update that object, or empty string if the object was updated through the main resource.',
        ),
        time: s.time(
          'Time is the timestamp of when the ManagedFields entry was added.',
        ),
      },
      'ManagedFieldsEntry is a workflow-id, a FieldSet and the group version of the resource that the fieldset applies to.',
    ),
  );
  b.define(
    OBJECT_META,
    s.obj(
      {
        annotations: s.strMap(
          'Annotations is an unstructured key value map stored with a resource that may be set by external tools to store and retrieve arbitrary metadata.',
        ),
        creationTimestamp: s.time(
          'CreationTimestamp is a timestamp representing the server time when this object was created. Populated by the system. Read-only.',
        ),
        deletionGracePeriodSeconds: s.int64(
          'Number of seconds allowed for this object to gracefully terminate before it will be removed from the system. Only set when deletionTimestamp is also set.',
        ),
        deletionTimestamp: s.time(
          'DeletionTimestamp is RFC 3339 date and time at which this resource will be deleted. Populated by the system when a graceful deletion is requested. Read-only.',
        ),
        finalizers: s.set(
          s.str(),
          'Must be empty before the object is deleted from the registry.',
          true,
        ),
        generateName: s.str(
          'GenerateName is an optional prefix, used by the server, to generate a unique name ONLY IF the Name field has not been provided.',
        ),
        generation: s.int64(
          'A sequence number representing a specific generation of the desired state. Populated by the system. Read-only.',
        ),
        labels: s.strMap(
          'Map of string keys and values that can be used to organize and categorize (scope and select) objects.',
        ),
        managedFields: s.arr(
          s.ref(`${META}.ManagedFieldsEntry`),
          'ManagedFields maps workflow-id and version to the set of fields that are managed by that workflow.',
        ),
        name: s.str(
          'Name must be unique within a namespace. Cannot be updated.',
        ),
        namespace: s.str(
          'Namespace defines the space within which each name must be unique. Cannot be updated.',
        ),
        ownerReferences: s.listMap(
          s.ref(`${META}.OwnerReference`),
          ['uid'],
          'List of objects depended by this object. If ALL objects in the list have been deleted, this object will be garbage collected.',
        ),
        resourceVersion: s.str(
          'An opaque value that represents the internal version of this object that can be used by clients to determine when objects have changed. Read-only.',
        ),
        selfLink: s.str(
          'Deprecated: selfLink is a legacy read-only field that is no longer populated by the system.',
        ),
        uid: s.str(
          'UID is the unique in time and space value for this object. Populated by the system. Read-only.',
        ),
      },
      'ObjectMeta is metadata that all persisted resources must have, which includes all objects users must create.',
    ),
  );
  b.define(
    LIST_META,
    s.obj(
      {
        continue: s.str(
          'continue may be set if the user set a limit on the number of items returned.',
        ),
        remainingItemCount: s.int64(
          'remainingItemCount is the number of subsequent items in the list which are not included in this list response.',
        ),
        resourceVersion: s.str(
          "String that identifies the server's internal version of this object.",
        ),
        selfLink: s.str(
          'Deprecated: selfLink is a legacy read-only field that is no longer populated by the system.',
        ),
      },
      'ListMeta describes metadata that synthetic resources must have, including lists and various status objects.',
    ),
  );
  b.define(
    `${META}.LabelSelectorRequirement`,
    s.obj(
      {
        key: s.str('key is the label key that the selector applies to.'),
        operator: s.str(
          "operator represents a key's relationship to a set of values. Valid operators are In, NotIn, Exists and DoesNotExist.",
        ),
        values: s.arr(s.str(), 'values is an array of string values.'),
      },
      'A label selector requirement is a selector that contains values, a key, and an operator that relates the key and values.',
      { required: ['key', 'operator'] },
    ),
  );
  b.define(
    LABEL_SELECTOR,
    s.obj(
      {
        matchExpressions: s.arr(
          s.ref(`${META}.LabelSelectorRequirement`),
          'matchExpressions is a list of label selector requirements. The requirements are ANDed.',
        ),
        matchLabels: s.strMap('matchLabels is a map of {key,value} pairs.'),
      },
      'A label selector is a label query over a set of resources. The result of matchLabels and matchExpressions are ANDed. An empty label selector matches all objects. A null label selector matches no objects.',
      { 'x-kubernetes-map-type': 'atomic' },
    ),
  );
  b.define(
    CONDITION,
    s.obj(
      {
        lastTransitionTime: s.time(
          'lastTransitionTime is the last time the condition transitioned from one status to another.',
        ),
        message: s.str(
          'message is a human readable message indicating details about the transition.',
        ),
        observedGeneration: s.int64(
          'observedGeneration represents the .metadata.generation that the condition was set based upon.',
        ),
        reason: s.str(
          "reason contains a programmatic identifier indicating the reason for the condition's last transition.",
        ),
        status: s.str('status of the condition, one of True, False, Unknown.'),
        type: s.str(
          'type of condition in CamelCase or in foo.example.com/CamelCase.',
        ),
      },
      'Condition contains details for one aspect of the current state of this API Resource.',
      {
        required: ['type', 'status', 'lastTransitionTime', 'reason', 'message'],
      },
    ),
  );
}
