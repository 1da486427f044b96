import { EntityRefLinks } from '@backstage/plugin-catalog-react';
import type { OperationFields } from '@meshstage/plugin-mesh-common';

/**
 * Why an operation ran when no person started it: the catalog-driven onboarding, for the entities
 * it brings in sync (linked to their pages). Nothing for operations a person started.
 */
export function OperationCauseText(props: {
  operation: Pick<OperationFields, 'cause'>;
}) {
  const { cause } = props.operation;
  if (!cause) return null;
  return (
    <span data-testid="operation-cause">
      catalog onboarding for{' '}
      <EntityRefLinks entityRefs={cause.entityRefs} defaultKind="component" />
    </span>
  );
}
