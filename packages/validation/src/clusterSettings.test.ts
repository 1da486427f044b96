import type {
  Analyzer,
  KubeObject,
  KubeResource,
  MeshClusterView,
} from '@meshstage/plugin-mesh-node';
import { findingFor } from '@meshstage/plugin-mesh-node';
import { testMeshes } from './__testUtils__';
import type { SettingsFileKind } from './settingsFiles';
import { validate } from './validate';

/** A settings kind kept in ConfigMap `system/mesh` under `config`, whose `port` must be a number. */
const kind: SettingsFileKind = {
  title: 'test config',
  apiVersion: 'test.example/v1',
  kind: 'TestConfig',
  name: 'config',
  namespace: 'system',
  check(value) {
    const port = (value as Record<string, any>).server?.port;
    return {
      errors:
        port !== undefined && typeof port !== 'number'
          ? [{ path: '/server/port', message: 'must be a number' }]
          : [],
      warnings: [],
    };
  },
  inCluster: {
    inputs: [{ apiVersion: 'v1', kind: 'ConfigMap' }],
    find: snapshot => {
      const object = snapshot.get('v1', 'ConfigMap', 'system', 'mesh');
      return object && { object, key: 'config' };
    },
  },
};

const CODE = {
  code: 'MS9997',
  name: 'Port',
  severity: 'info',
  summary: 's',
  help: 'h',
} as const;

/** Reports the port the settings in effect say, on the settings object. */
const portAnalyzer: Analyzer = {
  id: 'test.port',
  description: 'test',
  inputs: [{ apiVersion: 'v1', kind: 'Service' }],
  codes: [CODE],
  analyze: s =>
    s
      .list('test.example/v1', 'TestConfig')
      .map(c =>
        findingFor(
          CODE,
          c,
          '/spec',
          `port ${(c.spec as any)?.server?.port ?? 'default'}`,
        ),
      ),
};

function cluster(config: string | undefined) {
  const asked: string[] = [];
  const objects: KubeObject[] = config
    ? [
        {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'mesh', namespace: 'system' },
          data: { config },
        } as KubeObject,
      ]
    : [];
  const view: MeshClusterView = {
    name: 'test',
    async list(resource: KubeResource) {
      asked.push(resource.plural);
      return resource.plural === 'configmaps' ? objects : ([] as any);
    },
  };
  return { view, asked };
}

const adapter = {
  ...testMeshes[0],
  analyzers: () => [portAnalyzer],
  settingsFiles: () => [kind],
};
const brief = (findings: Array<{ code: string; message: string }>) =>
  findings.map(f => `${f.code} ${f.message}`);

describe('mesh settings kept in the cluster', () => {
  it('are read as the settings file would be, fetching the kinds that hold them', async () => {
    const { view, asked } = cluster('server:\n  port: 8080\n');
    const { findings } = await validate(
      { cluster: view },
      { adapters: [adapter], only: [portAnalyzer] },
    );
    expect(brief(findings)).toEqual(['MS9997 port 8080']);
    expect(asked).toContain('configmaps');
  });

  it('give way to a settings file given by the caller', async () => {
    const { view } = cluster('server:\n  port: 8080\n');
    const given = {
      object: {
        apiVersion: kind.apiVersion,
        kind: kind.kind,
        metadata: { name: kind.name, namespace: kind.namespace },
        spec: { server: { port: 9090 } },
      },
    };
    const { findings } = await validate(
      { cluster: view, settings: [given] },
      { adapters: [adapter], only: [portAnalyzer] },
    );
    expect(brief(findings)).toEqual(['MS9997 port 9090']);
  });

  it('that the mesh rejects are an MS0004 finding on their ConfigMap, and the defaults apply', async () => {
    const { view } = cluster('server:\n  port: eighty\n');
    const { findings, codes } = await validate(
      { cluster: view },
      { adapters: [adapter], only: [portAnalyzer] },
    );
    expect(findings.map(f => [f.code, f.resource?.name, f.path])).toEqual([
      ['MS0004', 'mesh', '/data/config'],
      ['MS9997', 'config', '/spec'],
    ]);
    expect(findings[0].message).toBe(
      "The test config in ConfigMap system/mesh data.config is one the mesh rejects (line 2, column 3: server.port: must be a number); validated with the mesh's defaults instead.",
    );
    expect(findings[1].message).toBe('port default');
    expect(codes.map(c => c.code)).toContain('MS0004');
  });

  it('kept in a kind the cluster refuses to list are named in its MS0005 finding', async () => {
    const { view } = cluster('server:\n  port: 8080\n');
    const refusing: MeshClusterView = {
      name: 'refusing',
      async list(resource) {
        if (resource.plural !== 'configmaps') return view.list(resource);
        throw Object.assign(new Error('HTTP 403'), {
          code: 403,
          statusMessage: 'configmaps is forbidden',
        });
      },
    };
    const { findings } = await validate(
      { cluster: refusing },
      { adapters: [adapter], only: [portAnalyzer] },
    );
    expect(brief(findings)).toEqual([
      "MS0005 MeshStage may not list ConfigMap objects (v1) on this cluster, so the checks that read them were skipped and the test config kept in them may be the mesh's defaults: configmaps is forbidden",
    ]);
  });

  it('are not looked for without a cluster, nor when the cluster keeps none', async () => {
    const { view } = cluster(undefined);
    expect(
      (
        await validate(
          { cluster: view },
          { adapters: [adapter], only: [portAnalyzer] },
        )
      ).findings,
    ).toEqual([]);
    const files = [
      {
        file: 'cm.yaml',
        text: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: mesh, namespace: system}\ndata:\n  config: "server: {port: 1}"\n',
      },
    ];
    expect(
      (await validate({ files }, { adapters: [adapter], only: [portAnalyzer] }))
        .findings,
    ).toEqual([]);
  });
});
