import { builtinSchemas } from '../schema/builtin-schemas';
import { SchemaCursor } from '../schema/cursor';
import { REF_PREFIX } from '../schema/types';
import {
  formatPath,
  fromFieldsV1,
  objectFields,
  appliedSet,
  toFieldsV1,
} from './fieldset';
import {
  ApplyConflictError,
  conflictMessage,
  ManagerEntry,
  serverSideApply,
  trackUpdate,
} from './managed-fields';

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v));
const containersOf = (o: unknown) =>
  (o as typeof applied).spec.template.spec.containers;

const cursor = (kind: string) =>
  new SchemaCursor({ $ref: `${REF_PREFIX}${kind}` }, builtinSchemas());
const deploy = cursor('io.k8s.api.apps.v1.Deployment');
const cm = cursor('io.k8s.api.core.v1.ConfigMap');

const applied = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', labels: { app: 'web' } },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: {
        containers: [
          { name: 'web', image: 'nginx', ports: [{ containerPort: 80 }] },
        ],
      },
    },
  },
};

const base = {
  apiVersion: 'apps/v1',
  hasStatusSubresource: true,
  force: false,
  time: '2026-01-01T00:00:00Z',
};

describe('field sets (FieldsV1)', () => {
  it('builds the FieldsV1 of an applied configuration with list keys and atomic selectors', () => {
    const set = appliedSet(objectFields(applied, deploy, 'main'));
    expect(toFieldsV1(set)).toEqual({
      'f:metadata': { 'f:labels': { 'f:app': {} } },
      'f:spec': {
        'f:replicas': {},
        'f:selector': {},
        'f:template': {
          'f:metadata': { 'f:labels': { 'f:app': {} } },
          'f:spec': {
            'f:containers': {
              'k:{"name":"web"}': {
                '.': {},
                'f:image': {},
                'f:name': {},
                'f:ports': {
                  'k:{"containerPort":80,"protocol":"TCP"}': {
                    '.': {},
                    'f:containerPort': {},
                  },
                },
              },
            },
          },
        },
      },
    });
    expect(fromFieldsV1(toFieldsV1(set))).toEqual(set);
  });

  it('prints paths as the API server does in conflicts', () => {
    expect(formatPath('f:spec\nf:replicas')).toBe('.spec.replicas');
    expect(formatPath('f:spec\nf:containers\nk:{"name":"web"}\nf:image')).toBe(
      '.spec.containers[name="web"].image',
    );
    expect(formatPath('f:metadata\nf:finalizers\nv:"x"')).toBe(
      '.metadata.finalizers[="x"]',
    );
  });
});

describe('server-side apply', () => {
  it('creates with an Apply entry and detects conflicts with other managers', () => {
    const first = serverSideApply({
      ...base,
      live: undefined,
      applied,
      entries: [],
      manager: 'a',
      cursor: deploy,
    });
    expect(first.entries).toHaveLength(1);
    expect(first.entries[0]).toMatchObject({
      manager: 'a',
      operation: 'Apply',
    });
    const changed = { ...applied, spec: { ...applied.spec, replicas: 5 } };
    let err: unknown;
    try {
      serverSideApply({
        ...base,
        live: first.object,
        applied: changed,
        entries: first.entries,
        manager: 'b',
        cursor: deploy,
      });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ApplyConflictError);
    expect((err as Error).message).toBe(
      'Apply failed with 1 conflict: conflict with "a": .spec.replicas',
    );
    // same value: shared ownership, no conflict
    const shared = serverSideApply({
      ...base,
      live: first.object,
      applied,
      entries: first.entries,
      manager: 'b',
      cursor: deploy,
    });
    expect(shared.entries.map(e => e.manager)).toEqual(['a', 'b']);
    // force takes the field
    const forced = serverSideApply({
      ...base,
      force: true,
      live: first.object,
      applied: changed,
      entries: first.entries,
      manager: 'b',
      cursor: deploy,
    });
    expect((forced.object.spec as { replicas: number }).replicas).toBe(5);
    expect([
      ...forced.entries.find(e => e.manager === 'a')!.fields,
    ]).not.toContain('f:spec\nf:replicas');
  });

  it('removes fields a manager stops applying unless someone else owns them', () => {
    const live = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c' },
      data: { a: '1', b: '2' },
    };
    const one = serverSideApply({
      ...base,
      apiVersion: 'v1',
      hasStatusSubresource: false,
      live: undefined,
      applied: live,
      entries: [],
      manager: 'm',
      cursor: cm,
    });
    const two = serverSideApply({
      ...base,
      apiVersion: 'v1',
      hasStatusSubresource: false,
      live: one.object,
      applied: { ...live, data: { a: '1' } },
      entries: one.entries,
      manager: 'm',
      cursor: cm,
    });
    expect(two.object.data).toEqual({ a: '1' });
    const other: ManagerEntry = {
      manager: 'other',
      operation: 'Update',
      apiVersion: 'v1',
      fields: new Set(['f:data\nf:b']),
    };
    const kept = serverSideApply({
      ...base,
      apiVersion: 'v1',
      hasStatusSubresource: false,
      live: one.object,
      applied: { ...live, data: { a: '1' } },
      entries: [...one.entries, other],
      manager: 'm',
      cursor: cm,
    });
    expect(kept.object.data).toEqual({ a: '1', b: '2' });
  });

  it('keeps what a manager applies inside a map it applied empty before', () => {
    const cmOf = (data: Record<string, string>) => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c' },
      data,
    });
    const apply = (
      live: Record<string, unknown> | undefined,
      applied: Record<string, unknown>,
      entries: ManagerEntry[],
    ) =>
      serverSideApply({
        ...base,
        apiVersion: 'v1',
        hasStatusSubresource: false,
        live,
        applied,
        entries,
        manager: 'm',
        cursor: cm,
      });
    const empty = apply(undefined, cmOf({}), []);
    const filled = apply(empty.object, cmOf({ changed: 'yes' }), empty.entries);
    expect(filled.object.data).toEqual({ changed: 'yes' });
    expect([...filled.entries[0].fields]).toEqual(['f:data\nf:changed']);
    // And emptied again: the applier dropped `changed`, which goes.
    const emptied = apply(filled.object, cmOf({}), filled.entries);
    expect(emptied.object.data ?? {}).toEqual({});
  });

  it('removes a dropped list item whole, not leaving a husk of its sub-lists', () => {
    const withSidecar = clone(applied);
    withSidecar.spec.template.spec.containers.push({
      name: 'metrics',
      image: 'exporter',
      ports: [{ containerPort: 9090, name: 'metrics' } as any],
    });
    const one = serverSideApply({
      ...base,
      live: undefined,
      applied: withSidecar,
      entries: [],
      manager: 'm',
      cursor: deploy,
    });
    expect(containersOf(one.object)).toHaveLength(2);
    const two = serverSideApply({
      ...base,
      live: one.object,
      applied,
      entries: one.entries,
      manager: 'm',
      cursor: deploy,
    });
    expect(containersOf(two.object)).toEqual([
      { name: 'web', image: 'nginx', ports: [{ containerPort: 80 }] },
    ]);
    expect(JSON.stringify(two.entries)).not.toContain('metrics');

    // Another manager owns a field of the item: the item stays with its key and that field.
    const other: ManagerEntry = {
      manager: 'other',
      operation: 'Update',
      apiVersion: 'apps/v1',
      fields: new Set([
        [
          'f:spec',
          'f:template',
          'f:spec',
          'f:containers',
          'k:{"name":"metrics"}',
          'f:image',
        ].join('\n'),
      ]),
    };
    const kept = serverSideApply({
      ...base,
      live: one.object,
      applied,
      entries: [...one.entries, other],
      manager: 'm',
      cursor: deploy,
    });
    expect(containersOf(kept.object)).toEqual([
      { name: 'web', image: 'nginx', ports: [{ containerPort: 80 }] },
      { name: 'metrics', image: 'exporter' },
    ]);
  });

  it("merges associative lists by key and keeps other managers' items", () => {
    const liveObj = serverSideApply({
      ...base,
      live: undefined,
      applied,
      entries: [],
      manager: 'a',
      cursor: deploy,
    }).object;
    const withSidecar = JSON.parse(JSON.stringify(liveObj));
    withSidecar.spec.template.spec.containers.push({
      name: 'proxy',
      image: 'envoy',
    });
    const res = serverSideApply({
      ...base,
      live: withSidecar,
      applied: {
        ...applied,
        spec: {
          ...applied.spec,
          template: {
            ...applied.spec.template,
            spec: { containers: [{ name: 'web', image: 'nginx:2' }] },
          },
        },
      },
      entries: [],
      manager: 'c',
      cursor: deploy,
    });
    const cs = (
      res.object.spec as {
        template: { spec: { containers: { name: string; image: string }[] } };
      }
    ).template.spec.containers;
    expect(cs.map(c => `${c.name}=${c.image}`)).toEqual([
      'web=nginx:2',
      'proxy=envoy',
    ]);
  });
});

describe('managed fields of updates', () => {
  it('gives the writer the fields it changed and takes them from others', () => {
    const before = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c' },
      data: { a: '1' },
    };
    const created = trackUpdate({
      before: undefined,
      after: before,
      entries: [],
      manager: 'creator',
      apiVersion: 'v1',
      hasStatusSubresource: false,
      cursor: cm,
      time: 't',
    });
    expect(toFieldsV1(created[0].fields)).toEqual({
      'f:data': { '.': {}, 'f:a': {} },
    });
    const after = { ...before, data: { a: '2', b: '3' } };
    const updated = trackUpdate({
      before,
      after,
      entries: created,
      manager: 'editor',
      apiVersion: 'v1',
      hasStatusSubresource: false,
      cursor: cm,
      time: 't',
    });
    expect(updated.map(e => e.manager)).toEqual(['creator', 'editor']);
    expect(toFieldsV1(updated[0].fields)).toEqual({ 'f:data': {} });
    expect(toFieldsV1(updated[1].fields)).toEqual({
      'f:data': { 'f:a': {}, 'f:b': {} },
    });
  });

  it('words multi-conflict messages like the API server', () => {
    const m: ManagerEntry = {
      manager: 'kubectl-client-side-apply',
      operation: 'Update',
      apiVersion: 'apps/v1',
      fields: new Set(),
    };
    expect(
      conflictMessage([
        { manager: m, path: 'f:spec\nf:replicas' },
        { manager: m, path: 'f:spec\nf:paused' },
      ]),
    ).toBe(
      'Apply failed with 2 conflicts: conflicts with "kubectl-client-side-apply" using apps/v1:\n- .spec.replicas\n- .spec.paused',
    );
  });
});
