import type { Entity } from '@backstage/catalog-model';
import type { KubePod } from '@meshstage/plugin-mesh-node';
import { namespaceResidents } from './namespaceResidents';
import { onboardingEntity } from './onboardingEntity';

const component = (
  name: string,
  annotations: Record<string, string>,
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default', annotations },
  spec: {},
});

const pod = (
  name: string,
  labels: Record<string, string>,
  extra: Partial<KubePod['metadata']> = {},
): KubePod =>
  ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'shop', labels, ...extra },
  } as KubePod);

const entities = [
  // Tied by its pods.
  component('cart', { 'backstage.io/kubernetes-id': 'cart' }),
  // Names the namespace: it concerns it even with no pod running now.
  component('billing', {
    'backstage.io/kubernetes-id': 'billing',
    'backstage.io/kubernetes-namespace': 'shop',
  }),
  // Its selector matches pods here, but it lives in another namespace.
  component('cart-elsewhere', {
    'backstage.io/kubernetes-label-selector': 'app=cart',
    'backstage.io/kubernetes-namespace': 'other',
  }),
  // Only on another cluster.
  component('cart-prod', {
    'backstage.io/kubernetes-id': 'cart',
    'meshstage.io/cluster': 'prod',
  }),
  // No workloads at all.
  component('docs', {}),
  // An invalid selector owns nothing.
  component('broken', {
    'backstage.io/kubernetes-label-selector': 'app in (',
  }),
].map(onboardingEntity);

describe('namespaceResidents', () => {
  it('finds the entities whose pods run in the namespace or which name it, and the pods nobody claims', () => {
    expect(
      namespaceResidents({
        cluster: 'dev',
        namespace: 'shop',
        entities,
        pods: [
          pod('cart-1', { 'backstage.io/kubernetes-id': 'cart', app: 'cart' }),
          pod('cart-2', { 'backstage.io/kubernetes-id': 'cart', app: 'cart' }),
          pod('stray', { app: 'stray' }),
          // On its way out: not what an onboard restarts.
          pod(
            'old',
            { app: 'old' },
            { deletionTimestamp: '2026-01-01T00:00:00Z' },
          ),
        ],
      }),
    ).toEqual({
      entityRefs: ['component:default/billing', 'component:default/cart'],
      unclaimedPods: ['stray'],
    });
  });

  it('concerns nobody where no entity lives', () => {
    expect(
      namespaceResidents({
        cluster: 'dev',
        namespace: 'empty',
        entities,
        pods: [],
      }),
    ).toEqual({ entityRefs: [], unclaimedPods: [] });
  });

  it('honours meshstage.io/cluster', () => {
    const onProd = namespaceResidents({
      cluster: 'prod',
      namespace: 'shop',
      entities,
      pods: [pod('cart-1', { 'backstage.io/kubernetes-id': 'cart' })],
    });
    expect(onProd.entityRefs).toEqual([
      'component:default/billing',
      'component:default/cart',
      'component:default/cart-prod',
    ]);
  });
});
