import { IstioAdapter } from '@meshstage/plugin-mesh-backend-module-istio';
import { LinkerdAdapter } from '@meshstage/plugin-mesh-backend-module-linkerd';
import type { KubeNamespace, KubePod } from '@meshstage/plugin-mesh-node';
import {
  component,
  namespace,
  onboardingOp,
  pod,
} from './__testUtils__/fixtures';
import {
  compareOnboarding,
  type OnboardingComparisonInput,
} from './compareOnboarding';
import { onboardingEntity } from './onboardingEntity';
import type { OnboardingOperation } from './types';

const adapters = [new IstioAdapter(), new LinkerdAdapter()];
const ISTIO_ON = { 'istio-injection': 'enabled' };
const LINKERD_ON = { 'linkerd.io/inject': 'enabled' };
const reviewsRef = 'component:default/reviews';

function reviews(annotations: Record<string, string> = {}) {
  return onboardingEntity(
    component('reviews', {
      'backstage.io/kubernetes-id': 'reviews',
      ...annotations,
    }),
  );
}

function compare(
  overrides: Partial<OnboardingComparisonInput> & {
    namespaces?: KubeNamespace[];
    pods?: KubePod[];
    history?: OnboardingOperation[];
  },
) {
  const { namespaces = [], pods = [], ...rest } = overrides;
  return compareOnboarding({
    entities: [],
    clusters: [{ cluster: 'dev', namespaces, pods }],
    configuredClusters: ['dev'],
    adapters,
    history: [],
    ...rest,
  });
}

describe('compareOnboarding', () => {
  describe('an entity that asks for istio', () => {
    const entities = [reviews({ 'meshstage.io/mesh': 'istio' })];

    it('is pending onboarding while its namespace is not enabled, with the onboard request that fixes it', () => {
      const result = compare({
        entities,
        namespaces: [namespace('bookinfo')],
        pods: [pod('bookinfo', 'reviews-1', 'reviews')],
      }).get(reviewsRef);
      expect(result).toEqual({
        entityRef: reviewsRef,
        desiredMesh: 'istio',
        state: 'pending-onboarding',
        reason: 'namespace bookinfo is not enabled for istio injection',
        targets: [
          {
            cluster: 'dev',
            namespace: 'bookinfo',
            state: 'pending-onboarding',
            reason: 'namespace bookinfo is not enabled for istio injection',
            fix: {
              action: 'onboard',
              request: {
                action: 'onboard',
                mesh: 'istio',
                cluster: 'dev',
                namespace: 'bookinfo',
              },
            },
          },
        ],
        fixes: [
          {
            action: 'onboard',
            request: {
              action: 'onboard',
              mesh: 'istio',
              cluster: 'dev',
              namespace: 'bookinfo',
            },
          },
        ],
      });
    });

    it('is pending onboarding while a Deployment pod runs without the proxy, even with the namespace enabled', () => {
      const result = compare({
        entities,
        namespaces: [namespace('bookinfo', ISTIO_ON)],
        pods: [
          pod('bookinfo', 'reviews-1', 'reviews', { proxy: 'istio-proxy' }),
          pod('bookinfo', 'reviews-2', 'reviews'),
        ],
      }).get(reviewsRef)!;
      expect(result.state).toBe('pending-onboarding');
      expect(result.reason).toBe('1 of 2 pods runs without the istio proxy');
      expect(result.fixes.map(f => f.action)).toEqual(['onboard']);
    });

    it('is in sync when the namespace is enabled and every pod runs the proxy', () => {
      const result = compare({
        entities,
        namespaces: [namespace('bookinfo', ISTIO_ON)],
        pods: [
          pod('bookinfo', 'reviews-1', 'reviews', { proxy: 'istio-proxy' }),
          // On its way out after the restart: not what the workload runs.
          pod('bookinfo', 'reviews-0', 'reviews', { deleting: true }),
          // Not the entity's.
          pod('bookinfo', 'ratings-1', 'ratings'),
        ],
      }).get(reviewsRef)!;
      expect(result).toMatchObject({
        state: 'in-sync',
        reason:
          'namespace bookinfo is enabled for istio injection and its pod runs the proxy',
        fixes: [],
      });
    });

    it('is in sync when only pods an onboard would not restart lack the proxy, and says so', () => {
      // An onboard restarts Deployments; a StatefulSet's pod keeps running without the proxy,
      // so another onboard would change nothing.
      const result = compare({
        entities,
        namespaces: [namespace('bookinfo', ISTIO_ON)],
        pods: [
          pod('bookinfo', 'reviews-1', 'reviews', { proxy: 'istio-proxy' }),
          pod('bookinfo', 'reviews-db-0', 'reviews', { owner: 'StatefulSet' }),
        ],
      }).get(reviewsRef)!;
      expect(result.state).toBe('in-sync');
      expect(result.reason).toBe(
        'namespace bookinfo is enabled for istio injection and every pod of a Deployment runs its proxy; 1 pod not owned by a Deployment runs without it until recreated',
      );
    });

    it('is conflicting, with nothing to start, when another mesh serves its pods', () => {
      const result = compare({
        entities,
        namespaces: [namespace('bookinfo')],
        pods: [
          pod('bookinfo', 'reviews-1', 'reviews', { proxy: 'linkerd-proxy' }),
        ],
      }).get(reviewsRef)!;
      expect(result).toMatchObject({
        state: 'conflicting',
        reason: '1 pod of namespace bookinfo runs the linkerd proxy, not istio',
        fixes: [],
      });
    });

    it('is conflicting when its namespace is enabled for another mesh', () => {
      const result = compare({
        entities,
        namespaces: [namespace('bookinfo', {}, LINKERD_ON)],
        pods: [pod('bookinfo', 'reviews-1', 'reviews')],
      }).get(reviewsRef)!;
      expect(result.state).toBe('conflicting');
      expect(result.reason).toBe(
        'namespace bookinfo is enabled for linkerd injection, not istio',
      );
      expect(result.fixes).toEqual([]);
    });

    it('is conflicting when its namespace holds workloads of an entity that asks for another mesh', () => {
      const ratings = onboardingEntity(
        component('ratings', {
          'backstage.io/kubernetes-id': 'ratings',
          'meshstage.io/mesh': 'linkerd',
        }),
      );
      const result = compare({
        entities: [...entities, ratings],
        namespaces: [namespace('bookinfo')],
        pods: [
          pod('bookinfo', 'reviews-1', 'reviews'),
          pod('bookinfo', 'ratings-1', 'ratings'),
        ],
      });
      expect(result.get(reviewsRef)).toMatchObject({
        state: 'conflicting',
        reason:
          'namespace bookinfo also holds workloads of component:default/ratings (asks for linkerd)',
        fixes: [],
      });
      expect(result.get('component:default/ratings')?.state).toBe(
        'conflicting',
      );
    });

    it('reports workloads not found, naming the selector and the clusters searched', () => {
      const result = compare({
        entities: [
          reviews({
            'meshstage.io/mesh': 'istio',
            'backstage.io/kubernetes-namespace': 'shop',
          }),
        ],
        namespaces: [namespace('bookinfo')],
        pods: [pod('bookinfo', 'reviews-1', 'reviews')],
      }).get(reviewsRef)!;
      expect(result).toEqual({
        entityRef: reviewsRef,
        desiredMesh: 'istio',
        state: 'workloads-not-found',
        reason:
          'No pod matches backstage.io/kubernetes-id=reviews in namespace shop on dev',
        targets: [],
        fixes: [],
      });
    });

    it('reports workloads not found for an entity without the Kubernetes annotations, with the annotation to add', () => {
      const entity = onboardingEntity(
        component('website', { 'meshstage.io/mesh': 'istio' }),
      );
      const result = compare({ entities: [entity] }).get(
        'component:default/website',
      )!;
      expect(result.state).toBe('workloads-not-found');
      expect(result.reason).toMatch(
        /add the annotation 'backstage\.io\/kubernetes-id'/,
      );
    });

    it('reports workloads not found on a cluster the annotation names but config lacks', () => {
      const result = compare({
        entities: [
          reviews({
            'meshstage.io/mesh': 'istio',
            'meshstage.io/cluster': 'prod',
          }),
        ],
        pods: [pod('bookinfo', 'reviews-1', 'reviews')],
      }).get(reviewsRef)!;
      expect(result).toMatchObject({
        cluster: 'prod',
        state: 'workloads-not-found',
        reason:
          "cluster 'prod' (from the meshstage.io/cluster annotation) is not configured",
      });
    });

    it('leaves an entity out of a comparison of other clusters than the one it names', () => {
      const result = compare({
        entities: [
          reviews({
            'meshstage.io/mesh': 'istio',
            'meshstage.io/cluster': 'east',
          }),
        ],
        configuredClusters: ['dev', 'east'],
        pods: [pod('bookinfo', 'reviews-1', 'reviews')],
      });
      expect(result.has(reviewsRef)).toBe(false);
    });

    it('leaves an unreadable cluster out of the state and lists its error', () => {
      const result = compareOnboarding({
        entities,
        clusters: [
          {
            cluster: 'dev',
            namespaces: [namespace('bookinfo', ISTIO_ON)],
            pods: [
              pod('bookinfo', 'reviews-1', 'reviews', {
                proxy: 'istio-proxy',
              }),
            ],
          },
          {
            cluster: 'east',
            error: 'connect ECONNREFUSED',
            namespaces: [],
            pods: [],
          },
        ],
        configuredClusters: ['dev', 'east'],
        adapters,
        history: [],
      }).get(reviewsRef)!;
      expect(result.state).toBe('in-sync');
      expect(result.clusterErrors).toEqual([
        { cluster: 'east', error: 'connect ECONNREFUSED' },
      ]);
    });

    it('compares each cluster and namespace, and states the most pressing one', () => {
      const result = compareOnboarding({
        entities,
        clusters: [
          {
            cluster: 'dev',
            namespaces: [namespace('bookinfo', ISTIO_ON)],
            pods: [
              pod('bookinfo', 'reviews-1', 'reviews', {
                proxy: 'istio-proxy',
              }),
            ],
          },
          {
            cluster: 'east',
            namespaces: [namespace('bookinfo')],
            pods: [pod('bookinfo', 'reviews-1', 'reviews')],
          },
        ],
        configuredClusters: ['dev', 'east'],
        adapters,
        history: [],
      }).get(reviewsRef)!;
      expect(result.targets.map(t => [t.cluster, t.state])).toEqual([
        ['dev', 'in-sync'],
        ['east', 'pending-onboarding'],
      ]);
      expect(result.state).toBe('pending-onboarding');
      expect(result.reason).toBe(
        'east/bookinfo: namespace bookinfo is not enabled for istio injection',
      );
      expect(result.fixes.map(f => f.request.cluster)).toEqual(['east']);
    });

    it('offers nothing to start for a mesh no adapter serves', () => {
      const result = compare({
        entities: [reviews({ 'meshstage.io/mesh': 'kuma' })],
        namespaces: [namespace('bookinfo')],
        pods: [pod('bookinfo', 'reviews-1', 'reviews')],
      }).get(reviewsRef)!;
      expect(result.state).toBe('pending-onboarding');
      expect(result.reason).toBe(
        "no adapter for mesh 'kuma' is installed in this backend (installed: istio, linkerd)",
      );
      expect(result.fixes).toEqual([]);
    });
  });

  describe('an entity whose annotation was removed', () => {
    const entities = [reviews()];
    const onboarded = onboardingOp(
      { action: 'onboard', mesh: 'istio', namespace: 'bookinfo' },
      [reviewsRef],
      'succeeded',
    );

    it('is pending offboarding when MeshStage onboarded it and the mesh is still there', () => {
      const result = compare({
        entities,
        history: [onboarded],
        namespaces: [namespace('bookinfo', ISTIO_ON)],
        pods: [
          pod('bookinfo', 'reviews-1', 'reviews', { proxy: 'istio-proxy' }),
        ],
      }).get(reviewsRef)!;
      expect(result).toMatchObject({
        state: 'pending-offboarding',
        reason:
          'MeshStage onboarded namespace bookinfo to istio for this entity, which no longer asks for a mesh',
        fixes: [
          {
            action: 'offboard',
            request: {
              action: 'offboard',
              mesh: 'istio',
              cluster: 'dev',
              namespace: 'bookinfo',
            },
          },
        ],
      });
      expect(result.desiredMesh).toBeUndefined();
    });

    it('drops out once the offboard succeeded and the proxies are gone', () => {
      const result = compare({
        entities,
        history: [
          onboarded,
          onboardingOp(
            { action: 'offboard', mesh: 'istio', namespace: 'bookinfo' },
            [reviewsRef],
            'succeeded',
          ),
        ],
        namespaces: [namespace('bookinfo')],
        pods: [pod('bookinfo', 'reviews-1', 'reviews')],
      });
      expect(result.has(reviewsRef)).toBe(false);
    });

    it('is left alone when MeshStage never onboarded it, whatever runs', () => {
      const result = compare({
        entities,
        namespaces: [namespace('bookinfo', ISTIO_ON)],
        pods: [
          pod('bookinfo', 'reviews-1', 'reviews', { proxy: 'istio-proxy' }),
        ],
      });
      expect(result.has(reviewsRef)).toBe(false);
    });

    it('is still pending offboarding after a failed offboard', () => {
      const result = compare({
        entities,
        history: [
          onboarded,
          onboardingOp(
            { action: 'offboard', mesh: 'istio', namespace: 'bookinfo' },
            [reviewsRef],
            'failed',
          ),
        ],
        namespaces: [namespace('bookinfo', ISTIO_ON)],
        pods: [
          pod('bookinfo', 'reviews-1', 'reviews', { proxy: 'istio-proxy' }),
        ],
      }).get(reviewsRef)!;
      expect(result.state).toBe('pending-offboarding');
    });

    it('keeps a namespace that another entity still wants in the mesh, and says who', () => {
      const ratings = onboardingEntity(
        component('ratings', {
          'backstage.io/kubernetes-id': 'ratings',
          'meshstage.io/mesh': 'istio',
        }),
      );
      const result = compare({
        entities: [...entities, ratings],
        history: [
          onboardingOp(
            { action: 'onboard', mesh: 'istio', namespace: 'bookinfo' },
            ['component:default/ratings', reviewsRef],
            'succeeded',
          ),
        ],
        namespaces: [namespace('bookinfo', ISTIO_ON)],
        pods: [
          pod('bookinfo', 'reviews-1', 'reviews', { proxy: 'istio-proxy' }),
          pod('bookinfo', 'ratings-1', 'ratings', { proxy: 'istio-proxy' }),
        ],
      });
      expect(result.get(reviewsRef)).toMatchObject({
        state: 'pending-offboarding',
        reason:
          'namespace bookinfo stays in istio: component:default/ratings asks for it',
        fixes: [],
      });
      expect(result.get('component:default/ratings')?.state).toBe('in-sync');
    });
  });

  describe('an entity whose annotation changed from istio to linkerd', () => {
    const entities = [reviews({ 'meshstage.io/mesh': 'linkerd' })];
    const onboarded = onboardingOp(
      { action: 'onboard', mesh: 'istio', namespace: 'bookinfo' },
      [reviewsRef],
      'succeeded',
    );

    it('is offboarded from istio first', () => {
      const result = compare({
        entities,
        history: [onboarded],
        namespaces: [namespace('bookinfo', ISTIO_ON)],
        pods: [
          pod('bookinfo', 'reviews-1', 'reviews', { proxy: 'istio-proxy' }),
        ],
      }).get(reviewsRef)!;
      expect(result.state).toBe('pending-offboarding');
      expect(result.reason).toBe(
        'MeshStage onboarded namespace bookinfo to istio for this entity, which now asks for linkerd',
      );
      expect(result.fixes.map(f => [f.action, f.request.mesh])).toEqual([
        ['offboard', 'istio'],
      ]);
    });

    it('then onboarded to linkerd', () => {
      const result = compare({
        entities,
        history: [
          onboarded,
          onboardingOp(
            { action: 'offboard', mesh: 'istio', namespace: 'bookinfo' },
            [reviewsRef],
            'succeeded',
          ),
        ],
        namespaces: [namespace('bookinfo')],
        pods: [pod('bookinfo', 'reviews-1', 'reviews')],
      }).get(reviewsRef)!;
      expect(result.state).toBe('pending-onboarding');
      expect(result.fixes.map(f => [f.action, f.request.mesh])).toEqual([
        ['onboard', 'linkerd'],
      ]);
    });
  });

  it('compares only the entity asked for, with the others as neighbours', () => {
    const ratings = onboardingEntity(
      component('ratings', {
        'backstage.io/kubernetes-id': 'ratings',
        'meshstage.io/mesh': 'linkerd',
      }),
    );
    const result = compare({
      entities: [reviews({ 'meshstage.io/mesh': 'istio' }), ratings],
      namespaces: [namespace('bookinfo')],
      pods: [
        pod('bookinfo', 'reviews-1', 'reviews'),
        pod('bookinfo', 'ratings-1', 'ratings'),
      ],
      only: reviewsRef,
    });
    expect([...result.keys()]).toEqual([reviewsRef]);
    expect(result.get(reviewsRef)?.state).toBe('conflicting');
  });
});
