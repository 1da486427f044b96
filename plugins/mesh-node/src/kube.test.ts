import { kindPlural, kubeCollectionPath, kubeResourceOf } from './kube';

describe('kindPlural', () => {
  it.each([
    ['Deployment', 'deployments'],
    ['Ingress', 'ingresses'],
    ['AuthorizationPolicy', 'authorizationpolicies'],
    ['Gateway', 'gateways'],
    ['Endpoints', 'endpoints'],
  ])('%s → %s', (kind, plural) => {
    expect(kindPlural(kind)).toBe(plural);
  });
});

describe('kubeResourceOf', () => {
  it('splits group and version, core group included', () => {
    expect(kubeResourceOf('v1', 'Namespace')).toEqual({
      group: '',
      version: 'v1',
      plural: 'namespaces',
    });
    expect(kubeResourceOf('networking.istio.io/v1', 'VirtualService')).toEqual({
      group: 'networking.istio.io',
      version: 'v1',
      plural: 'virtualservices',
    });
  });

  it('keeps an explicit plural', () => {
    expect(kubeResourceOf('example.com/v1', 'Mouse', 'mice').plural).toBe(
      'mice',
    );
  });

  it('gives the collection path with kubeCollectionPath', () => {
    expect(
      kubeCollectionPath(kubeResourceOf('apps/v1', 'Deployment'), 'bookinfo'),
    ).toBe('/apis/apps/v1/namespaces/bookinfo/deployments');
  });
});
