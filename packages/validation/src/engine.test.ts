import type { Analyzer } from '@meshstage/plugin-mesh-node';
import { findingFor } from '@meshstage/plugin-mesh-node';
import { brief, run } from './__testUtils__';
import { mergeManifests, runAnalysis } from './engine';
import { parseManifests } from './parse';
import { validate, validateManifests } from './validate';

const CODE = {
  code: 'MS9999',
  name: 'Test',
  severity: 'warning',
  summary: 'test',
  help: 'test',
} as const;

/** Flags every object whose `spec.bad` is set, at `/spec/bad`. */
const badField: Analyzer = {
  id: 'test.bad-field',
  description: 'test',
  inputs: [{ apiVersion: 'v1', kind: 'ConfigMap' }],
  codes: [CODE],
  analyze: s =>
    s.objects
      .filter(o => (o.spec as any)?.bad !== undefined)
      .map(o => findingFor(CODE, o, '/spec/bad', `bad ${o.metadata.name}`)),
};

describe('engine', () => {
  it('points at the right line in a multi-document file', () => {
    const yaml = `apiVersion: v1
kind: ConfigMap
metadata:
  name: a
spec:
  good: 1
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: b
spec:
  other: 1
  bad: yes
`;
    const findings = run(badField, yaml);
    expect(findings.map(brief)).toEqual([
      {
        code: 'MS9999',
        resource: 'ConfigMap/default/b',
        path: '/spec/bad',
        line: 14,
      },
    ]);
    expect(findings[0].source).toEqual({
      file: 'test.yaml',
      line: 14,
      column: 3,
    });
    expect(findings[0].docs).toMatch(/validation-codes\.md#ms9999$/);
  });

  it('reads every item of a List kind with its own position', () => {
    const yaml = `apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: ConfigMap
    metadata: {name: a, namespace: x}
  - apiVersion: v1
    kind: ConfigMap
    metadata: {name: b, namespace: x}
    spec:
      bad: 1
`;
    expect(run(badField, yaml).map(brief)).toEqual([
      {
        code: 'MS9999',
        resource: 'ConfigMap/x/b',
        path: '/spec/bad',
        line: 11,
      },
    ]);
  });

  it('reports bad YAML and non-Kubernetes documents with their line, and goes on', () => {
    const yaml = `apiVersion: v1
kind: ConfigMap
metadata: {name: a}
spec: {bad: 1}
---
just: a mapping
---
key: value: nested
---
- a list
`;
    const findings = run(badField, yaml);
    expect(findings.map(f => [f.code, f.source?.line, f.message])).toEqual([
      ['MS9999', 4, 'bad a'],
      ['MS0002', 6, 'Not a Kubernetes object: `apiVersion` is missing'],
      ['MS0001', 8, expect.stringMatching(/^Invalid YAML/)],
      ['MS0002', 10, expect.stringMatching(/is a list/)],
    ]);
  });

  it('does not report an empty document or a comment-only file', () => {
    expect(run(badField, '# nothing here\n---\n')).toEqual([]);
  });

  it('lets file objects override cluster objects of the same identity', () => {
    const cluster = [
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'a', namespace: 'default' },
        spec: { bad: 1 },
      },
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'b', namespace: 'default' },
        spec: { bad: 1 },
      },
    ];
    const file = parseManifests(
      'f.yaml',
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\nspec: {}\n',
    );
    const findings = runAnalysis(mergeManifests(cluster, [file]), {
      analyzers: [badField],
    });
    expect(findings.map(brief)).toEqual([
      {
        code: 'MS9999',
        resource: 'ConfigMap/default/b',
        path: '/spec/bad',
        line: undefined,
      },
    ]);
  });

  it('turns an analyzer crash into a finding and runs the others', () => {
    const crashing: Analyzer = {
      ...badField,
      id: 'test.crash',
      analyze: () => {
        throw new Error('boom');
      },
    };
    const { findings } = validateManifests(
      [
        {
          file: 'f.yaml',
          text: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\nspec: {bad: 1}\n',
        },
      ],
      { only: [crashing, badField] },
    );
    expect(findings.map(f => [f.code, f.message])).toEqual([
      ['MS9999', 'bad a'],
      ['MS0003', 'Analyzer test.crash failed: boom'],
    ]);
  });
});

describe('the time analyzers check validity against', () => {
  const clockReader: Analyzer = {
    ...badField,
    id: 'test.clock',
    analyze: (snapshot, ctx) =>
      snapshot.objects.map(o =>
        findingFor(CODE, o, '', `now=${ctx.now ?? 'none'}`),
      ),
  };
  const file = {
    file: 'a.yaml',
    text: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n',
  };

  it('is the one the caller gives, and none for the pure validateManifests without one', () => {
    const message = (now?: number) =>
      validateManifests([file], { only: [clockReader], now }).findings[0]
        .message;
    expect(message(1_700_000_000_000)).toBe('now=1700000000000');
    expect(message()).toBe('now=none');
  });

  it('is the current time for validate() unless given', async () => {
    const before = Date.now();
    const { findings } = await validate(
      { files: [file] },
      { only: [clockReader] },
    );
    const now = Number(findings[0].message.slice('now='.length));
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
    const given = await validate(
      { files: [file] },
      { only: [clockReader], now: 5 },
    );
    expect(given.findings[0].message).toBe('now=5');
  });
});

describe('suppression', () => {
  const yaml = `apiVersion: v1
kind: ConfigMap
metadata:
  name: a
  annotations:
    meshstage.io/analyze-suppress: "MS0001, MS9999"
spec: {bad: 1}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: b
  namespace: shop
  annotations:
    galley.istio.io/analyze-suppress: IST0101
spec: {bad: 1}
`;

  it('marks findings suppressed by annotation or config, and keeps them', () => {
    const findings = run(badField, yaml, [
      { code: 'MS9999', resource: 'configmap/shop/*' },
    ]);
    expect(
      findings.map(f => [f.resource?.name, f.suppressed, f.suppressedBy]),
    ).toEqual([
      ['a', true, 'annotation'],
      ['b', true, 'config'],
    ]);
  });

  it('does not suppress other codes or resources', () => {
    const findings = run(badField, yaml, [
      { code: 'MS9999', resource: 'ConfigMap/other/*' },
    ]);
    expect(findings.map(f => [f.resource?.name, f.suppressed])).toEqual([
      ['a', true],
      ['b', undefined],
    ]);
  });
});
