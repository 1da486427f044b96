import fs from 'node:fs';
import path from 'node:path';
import type { KubeObject } from '@meshstage/plugin-mesh-node';
import { parseAllDocuments } from 'yaml';
import { LinkerdAdapter } from '../LinkerdAdapter';
import { linkerdTopologyEdges, quantity } from './linkerdTopology';

const fixture: KubeObject[] = parseAllDocuments(
  fs.readFileSync(path.join(__dirname, '__fixtures__/routing.yaml'), 'utf8'),
)
  .map(d => d.toJS())
  .filter(Boolean);

const edgesOf = (name: string) =>
  linkerdTopologyEdges(fixture).filter(e => e.rule.resource.name === name);

describe('Linkerd topology rules', () => {
  it('is the adapter’s topology, listing Linkerd’s own kinds at the versions its CRDs serve', () => {
    expect(new LinkerdAdapter().topology.resources).toEqual([
      { group: 'policy.linkerd.io', version: 'v1beta3', plural: 'httproutes' },
      { group: 'linkerd.io', version: 'v1alpha2', plural: 'serviceprofiles' },
    ]);
  });

  it('routes a GAMMA HTTPRoute from its parent Service to the backends with weights and match', () => {
    const resource = {
      apiVersion: 'policy.linkerd.io/v1beta3',
      kind: 'HTTPRoute',
      namespace: 'booksapp',
      name: 'books-split',
    };
    const from = { type: 'service', namespace: 'booksapp', name: 'books' };
    const match = 'path prefix /books and header x-canary=true';
    expect(edgesOf('books-split')).toEqual([
      {
        from,
        to: { type: 'service', namespace: 'booksapp', name: 'books' },
        rule: { source: 'linkerd', resource, weight: 90, match },
      },
      {
        from,
        to: { type: 'service', namespace: 'booksapp', name: 'books-canary' },
        rule: { source: 'linkerd', resource, weight: 10, match },
      },
    ]);
  });

  it('leaves Gateway API routes (GAMMA) to the backend, which reads them for every mesh', () => {
    expect(fixture.some(o => o.metadata.name === 'emoji')).toBe(true);
    expect(edgesOf('emoji')).toEqual([]);
  });

  it('splits a ServiceProfile’s traffic over its dstOverrides by weight', () => {
    expect(quantity('500m')).toBe(0.5);
    expect(quantity(1)).toBe(1);
    expect(quantity('2')).toBe(2);
    const from = { type: 'service', namespace: 'emojivoto', name: 'web-svc' };
    expect(edgesOf('web-svc.emojivoto.svc.cluster.local')).toEqual([
      {
        from,
        to: {
          type: 'host',
          host: 'web-svc.emojivoto.svc.cluster.local',
          namespace: 'emojivoto',
        },
        rule: expect.objectContaining({ source: 'linkerd', weight: 25 }),
      },
      {
        from,
        to: {
          type: 'host',
          host: 'web-svc-2.emojivoto.svc.cluster.local',
          namespace: 'emojivoto',
        },
        rule: expect.objectContaining({
          resource: {
            apiVersion: 'linkerd.io/v1alpha2',
            kind: 'ServiceProfile',
            namespace: 'emojivoto',
            name: 'web-svc.emojivoto.svc.cluster.local',
          },
          weight: 75,
        }),
      },
    ]);
  });

  it('makes no edge for Server or Gateway parents, non-Service backends, or a profile named for no Service', () => {
    for (const name of [
      'authz-only',
      'north-south',
      'to-bucket',
      'not-a-service-name',
    ]) {
      expect({ name, edges: edgesOf(name) }).toEqual({ name, edges: [] });
    }
  });
});
