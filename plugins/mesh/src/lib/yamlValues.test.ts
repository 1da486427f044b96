import { parseValues } from './yamlValues';

describe('parseValues', () => {
  it('parses nested mappings, lists and scalars', () => {
    const r = parseValues(`# values
pilot:
  resources:
    requests: { "cpu": "100m" }
  replicaCount: 2
  enabled: true
meshConfig:
  accessLogFile: /dev/stdout   # comment
  extensionProviders:
    - name: otel
      port: 4317
    - "quoted: x"
tag: '1.30'
empty:
`);
    expect(r).toEqual({
      ok: true,
      values: {
        pilot: {
          resources: { requests: { cpu: '100m' } },
          replicaCount: 2,
          enabled: true,
        },
        meshConfig: {
          accessLogFile: '/dev/stdout',
          extensionProviders: [{ name: 'otel', port: 4317 }, 'quoted: x'],
        },
        tag: '1.30',
        empty: null,
      },
    });
  });

  it('accepts empty text and JSON', () => {
    expect(parseValues('  \n')).toEqual({ ok: true, values: undefined });
    expect(parseValues('{"a": 1}')).toEqual({ ok: true, values: { a: 1 } });
  });

  it('names the line of a mistake', () => {
    expect(parseValues('a: 1\n  b: 2')).toEqual({
      ok: false,
      error: 'Line 2: unexpected indentation',
      line: 2,
    });
    expect(parseValues('a: 1\njust text')).toMatchObject({
      ok: false,
      line: 2,
      error: expect.stringContaining('expected "key: value"'),
    });
    expect(parseValues('a:\n\tb: 1')).toMatchObject({ ok: false, line: 2 });
    expect(parseValues('- a\n- b')).toMatchObject({
      ok: false,
      error: 'Values must be a mapping (key: value)',
    });
    expect(parseValues('a: 1\na: 2')).toMatchObject({
      ok: false,
      error: 'Line 2: duplicate key "a"',
    });
    expect(parseValues('{"a": ')).toMatchObject({ ok: false });
  });
});
