import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import type { Entity } from '@backstage/catalog-model';
import { MeshApi, meshApiRef } from '../../../api';
import { EntityTopologyContent } from '../EntityTopologyContent';
import { inThreadEngine } from '../../TopologyGraph';

export const productpage: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'productpage',
    namespace: 'default',
    annotations: {
      'backstage.io/kubernetes-id': 'productpage',
      'backstage.io/kubernetes-namespace': 'bookinfo',
      'meshstage.io/mesh': 'istio',
    },
  },
  spec: { type: 'service', owner: 'guests', lifecycle: 'production' },
};

/** A MeshApi whose only working method is the one given (others throw). */
export function topologyApi(getTopology: MeshApi['getTopology']): MeshApi {
  return { getTopology } as Partial<MeshApi> as MeshApi;
}

export { inThreadEngine };

export function renderTopologyTab(
  meshApi: MeshApi,
  options: { entity?: Entity } = {},
) {
  return renderInTestApp(
    <TestApiProvider apis={[[meshApiRef, meshApi]]}>
      <EntityProvider entity={options.entity ?? productpage}>
        <EntityTopologyContent />
      </EntityProvider>
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}
