import { fakeAdapter } from '../status/testAdapters';
import { AdapterRegistry } from './AdapterRegistry';

describe('AdapterRegistry', () => {
  it('lists adapters sorted by id, with their info', () => {
    const registry = new AdapterRegistry();
    registry.add(fakeAdapter('linkerd', []), fakeAdapter('istio', []));
    expect(registry.ids()).toEqual(['istio', 'linkerd']);
    expect(registry.info()).toEqual([
      {
        id: 'istio',
        displayName: 'ISTIO',
        supportedVersions: ['1.0.0'],
        lifecycle: false,
        sampleApps: [],
      },
      {
        id: 'linkerd',
        displayName: 'LINKERD',
        supportedVersions: ['1.0.0'],
        lifecycle: false,
        sampleApps: [],
      },
    ]);
    expect(registry.get('istio')?.id).toBe('istio');
    expect(registry.get('cilium')).toBeUndefined();
  });

  it('refuses duplicate and malformed ids', () => {
    const registry = new AdapterRegistry();
    registry.add(fakeAdapter('istio', []));
    expect(() => registry.add(fakeAdapter('istio', []))).toThrow(
      'registered twice',
    );
    expect(() => registry.add(fakeAdapter('Istio Mesh', []))).toThrow(
      'is invalid',
    );
  });
});
