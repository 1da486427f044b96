import type { Analyzer } from '@meshstage/plugin-mesh-node';
import { findingFor } from '@meshstage/plugin-mesh-node';
import { runAnalysis } from './engine';
import {
  readSettingsFile,
  SettingsFileError,
  SettingsFileKind,
} from './settingsFiles';

/** A settings kind whose `port` must be a number and whose other fields are unknown but allowed. */
const kind: SettingsFileKind = {
  title: 'test config',
  apiVersion: 'test.example/v1',
  kind: 'TestConfig',
  name: 'config',
  namespace: 'system',
  check(value) {
    const v = value as Record<string, any>;
    return {
      errors:
        v.server?.port !== undefined && typeof v.server.port !== 'number'
          ? [{ path: '/server/port', message: 'must be a number' }]
          : [],
      warnings: Object.keys(v)
        .filter(k => k !== 'server')
        .map(k => ({ path: `/${k}`, message: 'unknown field' })),
    };
  },
};

const read = (text: string) => readSettingsFile('mesh.yaml', text, kind);

function thrown(text: string): SettingsFileError {
  try {
    read(text);
  } catch (e) {
    if (e instanceof SettingsFileError) return e;
    throw e;
  }
  throw new Error('no error');
}

describe('readSettingsFile', () => {
  it('reads the document as the spec of the kind’s object', () => {
    const { object, warnings } = read('server:\n  port: 80\n');
    expect(object.object).toEqual({
      apiVersion: 'test.example/v1',
      kind: 'TestConfig',
      metadata: { name: 'config', namespace: 'system' },
      spec: { server: { port: 80 } },
    });
    expect(warnings).toEqual([]);
  });

  it('locates findings on the object in the file, under its spec', () => {
    const { object } = read('# comment\nserver:\n  port: 80\n');
    const analyzer: Analyzer = {
      id: 'test',
      description: 'test',
      inputs: [],
      codes: [],
      analyze: snapshot =>
        snapshot.list('test.example/v1', 'TestConfig').map(o =>
          findingFor(
            {
              code: 'MS9999',
              name: 'T',
              severity: 'info',
              summary: '',
              help: '',
            },
            o,
            '/spec/server/port',
            'port',
          ),
        ),
    };
    const [finding] = runAnalysis(
      { objects: [object], findings: [] },
      { analyzers: [analyzer] },
    );
    expect(finding.source).toEqual({ file: 'mesh.yaml', line: 3, column: 3 });
  });

  it('names the field, line and column of what the mesh would reject', () => {
    expect(thrown('server:\n  port: eighty\n').message).toBe(
      'mesh.yaml:2:3: server.port: must be a number',
    );
    expect(thrown('server: [1\n').message).toMatch(
      /^mesh\.yaml:\d+:\d+: invalid YAML: /,
    );
    expect(thrown('- a\n- b\n').message).toBe(
      'mesh.yaml:1:1: a test config must be a mapping of fields, not a list',
    );
    expect(thrown('server: {}\n---\nserver: {}\n').message).toBe(
      'mesh.yaml:3:1: a test config file holds one YAML document, this one has 2',
    );
  });

  it('returns what the mesh ignores as located warnings', () => {
    const { warnings } = read('server: {}\nextra:\n  deep: 1\n');
    expect(warnings).toEqual([
      {
        path: '/extra',
        field: 'extra',
        message: 'unknown field',
        line: 2,
        column: 1,
      },
    ]);
  });

  it('reads an empty file as the mesh defaults (an empty spec)', () => {
    expect(read('# nothing set\n').object.object.spec).toEqual({});
  });
});
