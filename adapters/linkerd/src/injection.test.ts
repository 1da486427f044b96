import { linkerdInjection } from './injection';
import { namespace } from './testFixtures';

describe('linkerdInjection.namespaceEnabled', () => {
  it.each([
    [{}, false],
    [{ 'linkerd.io/inject': 'enabled' }, true],
    [{ 'linkerd.io/inject': 'ingress' }, true],
    [{ 'linkerd.io/inject': 'disabled' }, false],
  ])('annotations %j → enabled %s', (annotations, enabled) => {
    expect(
      linkerdInjection.namespaceEnabled(namespace('ns', { annotations })),
    ).toEqual({ enabled });
  });

  it('ignores a label of the same name: Linkerd reads the annotation', () => {
    expect(
      linkerdInjection.namespaceEnabled(
        namespace('ns', { labels: { 'linkerd.io/inject': 'enabled' } }),
      ),
    ).toEqual({ enabled: false });
  });

  it('names linkerd-proxy as the proxy container', () => {
    expect(linkerdInjection.proxyContainerNames).toEqual(['linkerd-proxy']);
  });
});
