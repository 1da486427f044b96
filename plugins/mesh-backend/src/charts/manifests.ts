import type { PlanObject } from '@meshstage/plugin-mesh-common';
import { parseAllDocuments } from 'yaml';

/** Kinds without a namespace; every other kind gets the release namespace when it has none. */
const CLUSTER_SCOPED_KINDS = new Set([
  'Namespace',
  'Node',
  'PersistentVolume',
  'CustomResourceDefinition',
  'ClusterRole',
  'ClusterRoleBinding',
  'MutatingWebhookConfiguration',
  'ValidatingWebhookConfiguration',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'MutatingAdmissionPolicy',
  'MutatingAdmissionPolicyBinding',
  'PriorityClass',
  'StorageClass',
  'CSIDriver',
  'RuntimeClass',
  'IngressClass',
  'APIService',
  'GatewayClass',
]);

/** Whether a kind is cluster-scoped (a kind the list does not name is taken as namespaced). */
export function isClusterScopedKind(kind: string): boolean {
  return CLUSTER_SCOPED_KINDS.has(kind);
}

/**
 * Parses `helm template` output (multi-document YAML) into objects: empty documents are skipped,
 * `List`s are flattened, test hooks dropped, and namespaced objects without a namespace get the
 * release's (as `helm install` would create them). A document that is not a Kubernetes object is
 * an error naming its source template.
 */
export function parseRenderedManifests(
  text: string,
  namespace: string,
): PlanObject[] {
  const objects: PlanObject[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) {
      throw new Error(
        `helm template produced invalid YAML: ${doc.errors[0].message}`,
      );
    }
    const value = doc.toJS({ maxAliasCount: 1000 });
    if (value === null || value === undefined) continue;
    const source = /^# Source: (.*)$/m.exec(String(doc.commentBefore ?? ''));
    const items =
      value?.kind === 'List' && Array.isArray(value.items)
        ? value.items
        : [value];
    for (const item of items) {
      if (
        typeof item !== 'object' ||
        typeof item.apiVersion !== 'string' ||
        typeof item.kind !== 'string' ||
        typeof item.metadata?.name !== 'string'
      ) {
        throw new Error(
          `helm template produced a document that is not a Kubernetes object${
            source ? ` (${source[1]})` : ''
          }`,
        );
      }
      const hook = String(item.metadata.annotations?.['helm.sh/hook'] ?? '');
      if (/\btest(-success|-failure)?\b/.test(hook)) continue;
      if (!item.metadata.namespace && !isClusterScopedKind(item.kind)) {
        item.metadata.namespace = namespace;
      }
      objects.push(item as PlanObject);
    }
  }
  return objects;
}
