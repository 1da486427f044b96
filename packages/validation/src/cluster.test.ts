import type {
  Analyzer,
  KubeResource,
  MeshClusterView,
} from '@meshstage/plugin-mesh-node';
import { findingFor } from '@meshstage/plugin-mesh-node';
import { readClusterObjects } from './cluster';
import { validate } from './validate';

const CODE = {
  code: 'MS9998',
  name: 'T',
  severity: 'error',
  summary: 's',
  help: 'h',
} as const;

const vsAnalyzer: Analyzer = {
  id: 'test.vs',
  description: 'test',
  inputs: [
    { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService' },
    { apiVersion: 'v1', kind: 'Service' },
  ],
  codes: [CODE],
  analyze: s =>
    s
      .list('networking.istio.io/v1', 'VirtualService')
      .map(vs => findingFor(CODE, vs, '/spec', `seen ${vs.metadata.name}`)),
};

function spyCluster() {
  const asked: KubeResource[] = [];
  const view: MeshClusterView = {
    name: 'spy',
    async list(resource) {
      asked.push(resource);
      if (resource.plural === 'virtualservices') {
        // The API server leaves apiVersion/kind out of list items; views fill them in.
        return [
          {
            apiVersion: 'networking.istio.io/v1',
            kind: 'VirtualService',
            metadata: { name: 'live', namespace: 'shop' },
            spec: {},
          },
        ] as any;
      }
      return [];
    },
  };
  return { view, asked };
}

describe('cluster snapshots', () => {
  it('fetches only the kinds the analyzers declare, once each', async () => {
    const { view, asked } = spyCluster();
    await readClusterObjects(view, [vsAnalyzer, vsAnalyzer]);
    expect(asked).toEqual([
      {
        group: 'networking.istio.io',
        version: 'v1',
        plural: 'virtualservices',
      },
      { group: '', version: 'v1', plural: 'services' },
    ]);
  });

  it('merges files over cluster objects, and cluster findings have no source', async () => {
    const { view } = spyCluster();
    const { findings } = await validate(
      {
        cluster: view,
        files: [
          {
            file: 'vs.yaml',
            text: 'apiVersion: networking.istio.io/v1beta1\nkind: VirtualService\nmetadata: {name: live, namespace: shop}\nspec: {}\n---\napiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: new, namespace: shop}\nspec: {}\n',
          },
        ],
      },
      { only: [vsAnalyzer] },
    );
    expect(
      findings.map(f => [f.message, f.resource?.apiVersion, f.source?.line]),
    ).toEqual([
      ['seen live', 'networking.istio.io/v1beta1', 4],
      ['seen new', 'networking.istio.io/v1', 9],
    ]);
  });
});
