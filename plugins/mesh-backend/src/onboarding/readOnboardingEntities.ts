import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { MESH_ANNOTATION } from '@meshstage/plugin-mesh-common';
import { CATALOG_FILTER_EXISTS } from '../topology/entities';
import { onboardingEntity } from './onboardingEntity';
import type { OnboardingEntity } from './types';

/** The catalog fields {@link onboardingEntity} reads. */
const FIELDS = [
  'kind',
  'metadata.name',
  'metadata.namespace',
  'metadata.annotations',
];

/**
 * The entities the onboarding compares: every one with `meshstage.io/mesh`, and those of
 * `formerRefs` (entities its operations onboarded) that no longer have it, so that removing the
 * annotation is noticed. An entity deleted from the catalog is not read back (its selector is
 * gone with it).
 */
export async function readOnboardingEntities(
  catalog: CatalogService,
  credentials: BackstageCredentials,
  formerRefs: Iterable<string>,
): Promise<OnboardingEntity[]> {
  const { items } = await catalog.getEntities(
    {
      filter: {
        [`metadata.annotations.${MESH_ANNOTATION}`]: CATALOG_FILTER_EXISTS,
      } as any,
      fields: FIELDS,
    },
    { credentials },
  );
  const entities = items.map(onboardingEntity);
  const seen = new Set(entities.map(e => e.entityRef));
  const missing = [...new Set(formerRefs)].filter(ref => !seen.has(ref));
  if (missing.length > 0) {
    const former = await catalog.getEntitiesByRefs(
      { entityRefs: missing, fields: FIELDS },
      { credentials },
    );
    for (const entity of former.items) {
      if (entity) entities.push(onboardingEntity(entity as Entity));
    }
  }
  return entities.sort((a, b) => a.entityRef.localeCompare(b.entityRef));
}
