import type { PlanObject } from '@meshstage/plugin-mesh-common';

interface CrdSpec {
  group: string;
  kind: string;
  plural: string;
  /** Served versions, storage version first. */
  versions: string[];
}

// The kinds the validator and status read. Minimal structural schemas: the API server stores
// spec and status as given and the validator checks them with its own schemas.
const ISTIO_CRDS: CrdSpec[] = [
  {
    group: 'networking.istio.io',
    kind: 'VirtualService',
    plural: 'virtualservices',
    versions: ['v1', 'v1beta1', 'v1alpha3'],
  },
  {
    group: 'networking.istio.io',
    kind: 'DestinationRule',
    plural: 'destinationrules',
    versions: ['v1', 'v1beta1', 'v1alpha3'],
  },
  {
    group: 'networking.istio.io',
    kind: 'Gateway',
    plural: 'gateways',
    versions: ['v1', 'v1beta1', 'v1alpha3'],
  },
  {
    group: 'networking.istio.io',
    kind: 'ServiceEntry',
    plural: 'serviceentries',
    versions: ['v1', 'v1beta1', 'v1alpha3'],
  },
  {
    group: 'networking.istio.io',
    kind: 'Sidecar',
    plural: 'sidecars',
    versions: ['v1', 'v1beta1', 'v1alpha3'],
  },
  {
    group: 'security.istio.io',
    kind: 'PeerAuthentication',
    plural: 'peerauthentications',
    versions: ['v1', 'v1beta1'],
  },
  {
    group: 'security.istio.io',
    kind: 'AuthorizationPolicy',
    plural: 'authorizationpolicies',
    versions: ['v1', 'v1beta1'],
  },
  {
    group: 'security.istio.io',
    kind: 'RequestAuthentication',
    plural: 'requestauthentications',
    versions: ['v1', 'v1beta1'],
  },
];

const preserve = {
  type: 'object',
  'x-kubernetes-preserve-unknown-fields': true,
};

/** Istio's CRDs as apiextensions.k8s.io/v1 objects, labelled with the Istio version that applied them. */
export function istioCrds(version: string): PlanObject[] {
  return ISTIO_CRDS.map(crd => ({
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: {
      name: `${crd.plural}.${crd.group}`,
      labels: {
        app: 'istio-pilot',
        release: 'istio',
        'app.kubernetes.io/version': version,
      },
    },
    spec: {
      group: crd.group,
      scope: 'Namespaced',
      names: {
        kind: crd.kind,
        listKind: `${crd.kind}List`,
        plural: crd.plural,
        singular: crd.kind.toLowerCase(),
        categories: ['istio-io', crd.group.split('.')[0]],
      },
      versions: crd.versions.map((name, i) => ({
        name,
        served: true,
        storage: i === 0,
        subresources: { status: {} },
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: { spec: preserve, status: preserve },
          },
        },
      })),
    },
  }));
}
