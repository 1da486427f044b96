import { istioInjection } from './injection';
import { namespace } from './testFixtures';

describe('istioInjection.namespaceEnabled', () => {
  it.each([
    [{}, { enabled: false }],
    [{ 'istio-injection': 'enabled' }, { enabled: true, revision: 'default' }],
    [{ 'istio.io/rev': '1-24' }, { enabled: true, revision: '1-24' }],
    // The classic label wins over a revision label, as in Istio's webhook selectors.
    [
      { 'istio-injection': 'enabled', 'istio.io/rev': '1-24' },
      { enabled: true, revision: 'default' },
    ],
    [
      { 'istio-injection': 'disabled', 'istio.io/rev': '1-24' },
      { enabled: false },
    ],
    [{ 'istio-injection': 'something-else' }, { enabled: false }],
  ])('labels %j → %j', (labels, expected) => {
    expect(istioInjection.namespaceEnabled(namespace('ns', labels))).toEqual(
      expected,
    );
  });

  it('names istio-proxy as the proxy container', () => {
    expect(istioInjection.proxyContainerNames).toEqual(['istio-proxy']);
  });
});
