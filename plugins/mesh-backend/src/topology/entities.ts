import {
  type Entity,
  parseEntityRef,
  RELATION_DEPENDS_ON,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  entityLabelSelector,
  KUBERNETES_ID_ANNOTATION,
  KUBERNETES_LABEL_SELECTOR_ANNOTATION,
  KUBERNETES_NAMESPACE_ANNOTATION,
  MESH_CLUSTER_ANNOTATION,
} from '@meshstage/plugin-mesh-common';
import {
  type LabelRequirement,
  parseLabelSelector,
} from '@meshstage/plugin-mesh-node';

/** A catalog entity as the topology uses it: which nodes it owns and what it depends on. */
export interface TopologyEntity {
  /** `kind:namespace/name` as the catalog spells it. */
  entityRef: string;
  /** The Kubernetes plugin's label selector, parsed. */
  selector: LabelRequirement[];
  /** `backstage.io/kubernetes-namespace`: only this namespace. */
  namespace?: string;
  /** `meshstage.io/cluster`: only this cluster. */
  cluster?: string;
  /** Refs of the entities it depends on (`dependsOn` relations and `spec.dependsOn`). */
  dependsOn: string[];
}

/** Refs compare case-insensitively, as the catalog compares them. */
export function refKey(ref: string): string {
  return ref.toLocaleLowerCase('en-US');
}

/** The catalog fields {@link topologyEntity} reads (a `fields` filter for the catalog). */
export const TOPOLOGY_ENTITY_FIELDS = [
  'kind',
  'metadata.name',
  'metadata.namespace',
  'metadata.annotations',
  'relations',
  'spec.dependsOn',
];

/**
 * The catalog filter for entities tied to workloads (either annotation present). The symbol is the
 * catalog client's `CATALOG_FILTER_EXISTS` (a `Symbol.for` key), spelled here so that the plugin
 * does not depend on the client package for one constant.
 */
export const CATALOG_FILTER_EXISTS = Symbol.for(
  'CATALOG_FILTER_EXISTS_0e15b590c0b343a2bae3e787e84c2111',
);
export const TOPOLOGY_ENTITY_FILTER = [
  {
    [`metadata.annotations.${KUBERNETES_ID_ANNOTATION}`]: CATALOG_FILTER_EXISTS,
  },
  {
    [`metadata.annotations.${KUBERNETES_LABEL_SELECTOR_ANNOTATION}`]:
      CATALOG_FILTER_EXISTS,
  },
];

/**
 * Reads an entity's ownership annotations and dependencies; `undefined` for an entity that is not
 * tied to workloads. Throws when its label selector does not parse.
 */
export function topologyEntity(entity: Entity): TopologyEntity | undefined {
  const selector = entityLabelSelector(entity);
  if (!selector) return undefined;
  const entityRef = stringifyEntityRef(entity);
  const annotations = entity.metadata.annotations ?? {};
  const namespace = entity.metadata.namespace ?? 'default';
  const dependsOn = new Set<string>();
  for (const relation of entity.relations ?? []) {
    if (relation.type === RELATION_DEPENDS_ON)
      dependsOn.add(relation.targetRef);
  }
  const declared = (entity.spec as { dependsOn?: unknown } | undefined)
    ?.dependsOn;
  if (Array.isArray(declared)) {
    for (const ref of declared) {
      if (typeof ref !== 'string') continue;
      try {
        dependsOn.add(
          stringifyEntityRef(
            parseEntityRef(ref, {
              defaultKind: 'component',
              defaultNamespace: namespace,
            }),
          ),
        );
      } catch {
        // A malformed ref: the catalog reports it; the graph ignores it.
      }
    }
  }
  return {
    entityRef,
    selector: parseLabelSelector(selector),
    namespace: annotations[KUBERNETES_NAMESPACE_ANNOTATION] || undefined,
    cluster: annotations[MESH_CLUSTER_ANNOTATION] || undefined,
    dependsOn: [...dependsOn],
  };
}

/** {@link topologyEntity} over a catalog page, leaving out entities whose selector is invalid. */
export function topologyEntities(entities: Entity[]): TopologyEntity[] {
  const out: TopologyEntity[] = [];
  for (const entity of entities) {
    try {
      const e = topologyEntity(entity);
      if (e) out.push(e);
    } catch {
      // An invalid selector owns nothing.
    }
  }
  return out;
}
