import type { PlanObject } from '@meshstage/plugin-mesh-common';
import {
  type SampleApp,
  sampleWorkloadObjects,
} from '@meshstage/plugin-mesh-node';

const IMAGE_PREFIX = 'docker.io/istio/examples-bookinfo';
const IMAGE_TAG = '1.20.2';

const image = (service: string, version: string) =>
  `${IMAGE_PREFIX}-${service}-${version}:${IMAGE_TAG}`;

// The routing half of Istio's traffic-management walkthrough: every reviews version behind one
// Service, subsets per version, and all traffic pinned to v1 until the user shifts it.
function reviewsRouting(namespace: string): PlanObject[] {
  return [
    {
      apiVersion: 'networking.istio.io/v1',
      kind: 'DestinationRule',
      metadata: { name: 'reviews', namespace },
      spec: {
        host: 'reviews',
        subsets: ['v1', 'v2', 'v3'].map(v => ({
          name: v,
          labels: { version: v },
        })),
      },
    },
    {
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: { name: 'reviews', namespace },
      spec: {
        hosts: ['reviews'],
        http: [{ route: [{ destination: { host: 'reviews', subset: 'v1' } }] }],
      },
    },
  ];
}

/** Istio's bookinfo: four services, three versions of reviews, routed to v1. */
export const bookinfoSampleApp: SampleApp = {
  id: 'bookinfo',
  displayName: 'Bookinfo',
  description:
    "Istio's bookinfo: productpage, details, ratings and three versions of reviews, with a DestinationRule and a VirtualService routing reviews to v1",
  defaultNamespace: 'bookinfo-sample',
  objects: namespace => [
    ...sampleWorkloadObjects(namespace, [
      ...['details', 'ratings'].map(app => ({
        name: `${app}-v1`,
        app,
        version: 'v1',
        image: image(app, 'v1'),
        port: 9080,
        serviceAccount: `bookinfo-${app}`,
      })),
      ...['v1', 'v2', 'v3'].map(version => ({
        name: `reviews-${version}`,
        app: 'reviews',
        version,
        image: image('reviews', version),
        port: 9080,
        serviceAccount: 'bookinfo-reviews',
      })),
      {
        name: 'productpage-v1',
        app: 'productpage',
        version: 'v1',
        image: image('productpage', 'v1'),
        port: 9080,
        serviceAccount: 'bookinfo-productpage',
      },
    ]),
    ...reviewsRouting(namespace),
  ],
};
