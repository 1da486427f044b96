import type {
  Analyzer,
  KubeResource,
  MeshClusterView,
} from '@meshstage/plugin-mesh-node';
import { findingFor, isUnreadable } from '@meshstage/plugin-mesh-node';
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

/** An error as cluster views reject with for a 403 (the backend's KubeApiError, the CLI's). */
function forbidden(plural: string) {
  return Object.assign(
    new Error(
      `GET /api/v1/${plural} failed with HTTP 403: ${plural} is forbidden`,
    ),
    {
      code: 403,
      statusMessage: `${plural} is forbidden: User "meshstage" cannot list resource "${plural}" in API group "" at the cluster scope`,
    },
  );
}

/** A cluster with one VirtualService and one Service that refuses to list `refused`. */
function refusingCluster(
  refused: string[],
  error: (plural: string) => Error = forbidden,
) {
  const { view: spy } = spyCluster();
  const view: MeshClusterView = {
    name: 'refusing',
    async list(resource) {
      if (refused.includes(resource.plural)) throw error(resource.plural);
      if (resource.plural === 'services') {
        return [
          {
            apiVersion: 'v1',
            kind: 'Service',
            metadata: { name: 'web', namespace: 'shop' },
          },
        ] as any;
      }
      return spy.list(resource);
    },
  };
  return view;
}

const SERVICE_CODE = { ...CODE, code: 'MS9997' };

/** Reports every Service: it reads only Services. */
const serviceAnalyzer: Analyzer = {
  id: 'test.services',
  description: 'test',
  inputs: [{ apiVersion: 'v1', kind: 'Service' }],
  codes: [SERVICE_CODE],
  analyze: s =>
    s
      .list('v1', 'Service')
      .map(svc =>
        findingFor(SERVICE_CODE, svc, '/spec', `service ${svc.metadata.name}`),
      ),
};

/** Reports Services no VirtualService names: run on an empty VirtualService list, all of them. */
const unroutedAnalyzer: Analyzer = {
  id: 'test.unrouted',
  description: 'test',
  inputs: [
    { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService' },
    { apiVersion: 'v1', kind: 'Service' },
  ],
  codes: [{ ...CODE, code: 'MS9996' }],
  analyze: s =>
    s.list('networking.istio.io/v1', 'VirtualService').length
      ? []
      : s
          .list('v1', 'Service')
          .map(svc =>
            findingFor(
              { ...CODE, code: 'MS9996' },
              svc,
              '/metadata/name',
              `no route to ${svc.metadata.name}`,
            ),
          ),
};

describe('cluster snapshots when the cluster refuses to list a kind (403)', () => {
  it('leave that kind out, say so, and read the others', async () => {
    const read = await readClusterObjects(
      refusingCluster(['virtualservices']),
      [vsAnalyzer],
    );
    expect(read.objects.map(o => `${o.kind}/${o.metadata.name}`)).toEqual([
      'Service/web',
    ]);
    expect(read.unreadable).toEqual([
      {
        apiVersion: 'networking.istio.io/v1',
        kind: 'VirtualService',
        reason:
          'virtualservices is forbidden: User "meshstage" cannot list resource "virtualservices" in API group "" at the cluster scope',
      },
    ]);
  });

  it('fail on any other error, and when every kind is refused', async () => {
    const unavailable = (plural: string) =>
      Object.assign(new Error(`GET ${plural} failed with HTTP 503`), {
        code: 503,
      });
    await expect(
      readClusterObjects(refusingCluster(['services'], unavailable), [
        vsAnalyzer,
      ]),
    ).rejects.toThrow('GET services failed with HTTP 503');
    await expect(
      readClusterObjects(refusingCluster(['virtualservices', 'services']), [
        vsAnalyzer,
      ]),
    ).rejects.toThrow('HTTP 403');
  });

  it('skip the rules that read the kind, run the others, and report MS0005 naming what was skipped', async () => {
    const analyzers = [vsAnalyzer, serviceAnalyzer, unroutedAnalyzer];
    const all = await validate(
      { cluster: refusingCluster([]) },
      { only: analyzers },
    );
    expect(all.findings.map(f => `${f.code} ${f.message}`)).toEqual([
      'MS9997 service web',
      'MS9998 seen live',
    ]);

    const { findings, codes } = await validate(
      { cluster: refusingCluster(['virtualservices']) },
      { only: analyzers },
    );
    // Not "no route to web": the VirtualServices are unknown, not absent.
    expect(findings.map(f => `${f.code} ${f.severity} ${f.message}`)).toEqual([
      'MS9997 error service web',
      'MS0005 warning MeshStage may not list VirtualService objects (networking.istio.io/v1) on this cluster, so the checks that read them (MS9996, MS9998) were skipped: virtualservices is forbidden: User "meshstage" cannot list resource "virtualservices" in API group "" at the cluster scope',
    ]);
    expect(findings[1].docs).toMatch(/validation-codes\.md#ms0005$/);
    expect(codes.map(c => c.code)).toContain('MS0005');
  });

  it('run a rule that handles unreadable kinds, which sees which they are', async () => {
    const seen: boolean[] = [];
    const careful: Analyzer = {
      ...unroutedAnalyzer,
      id: 'test.careful',
      handlesUnreadableKinds: true,
      analyze: (_snapshot, ctx) => {
        seen.push(
          isUnreadable(ctx, 'networking.istio.io/v1beta1', 'VirtualService'),
          isUnreadable(ctx, 'v1', 'Service'),
        );
        return [];
      },
    };
    await validate(
      { cluster: refusingCluster(['virtualservices']) },
      { only: [careful] },
    );
    expect(seen).toEqual([true, false]);
  });
});
