import type { KubeObject } from '@meshstage/plugin-mesh-node';
import { objectKey } from './objectKey';
import { mergePatchBetween, revertPlan } from './revertPlan';

const ns = (labels: Record<string, string>, extra = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: {
    name: 'bookinfo',
    uid: 'u1',
    resourceVersion: '7',
    labels,
    managedFields: [],
    ...extra,
  },
  status: { phase: 'Active' },
});
const nsRef = { apiVersion: 'v1', kind: 'Namespace', name: 'bookinfo' };
const cmRef = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  name: 'mesh',
  namespace: 'istio-system',
};
const cm = (data: Record<string, string>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'mesh', namespace: 'istio-system', uid: 'u2' },
  data,
});
const op = {
  id: 'op-1',
  summary: 'Install X',
  request: {
    action: 'install',
    mesh: 'x',
    cluster: 'dev',
    version: '1',
  } as const,
};

describe('mergePatchBetween', () => {
  it('sets changed values, nulls removed keys, replaces arrays whole', () => {
    expect(
      mergePatchBetween(
        { a: 1, b: { c: 2, d: 3 }, e: [1, 2], f: 'same' },
        { a: 2, b: { c: 2 }, e: [1], f: 'same', g: true },
      ),
    ).toEqual({ a: 2, b: { d: null }, e: [1], g: true });
    expect(mergePatchBetween({ a: { b: 1 } }, { a: { b: 1 } })).toBeUndefined();
  });
});

describe('revertPlan', () => {
  it('undoes changes newest first from the earliest prior state of each object', () => {
    const live = new Map<string, KubeObject | undefined>([
      [
        objectKey(nsRef),
        ns({ keep: 'x', added: 'y' }, { resourceVersion: '9' }),
      ],
      [objectKey(cmRef), cm({ v: '2' })],
    ]);
    const plan = revertPlan(
      op,
      [
        { step: 0, ref: nsRef, prior: ns({ keep: 'x' }) },
        { step: 1, ref: cmRef },
        // A later step touched the namespace again: the earliest prior state wins.
        { step: 2, ref: nsRef, prior: ns({ keep: 'x', added: 'y' }) },
      ],
      key => live.get(key),
    );
    expect(plan.summary).toBe('Revert: Install X');
    expect(plan.steps).toEqual([
      {
        type: 'delete',
        description:
          'Delete ConfigMap/istio-system/mesh (it did not exist before)',
        target: cmRef,
      },
      expect.objectContaining({
        type: 'wait',
        condition: 'Deleted',
        target: cmRef,
      }),
      {
        type: 'patch',
        description:
          'Patch Namespace/bookinfo: restore the state before operation op-1',
        target: nsRef,
        patch: { metadata: { labels: { added: null } } },
        reason: 'restore the state before operation op-1',
      },
    ]);
  });

  it('recreates what was deleted (without server fields) and skips what is already back', () => {
    const plan = revertPlan(
      op,
      [
        { step: 0, ref: cmRef, prior: cm({ v: '1' }) },
        { step: 1, ref: nsRef, prior: ns({ a: 'b' }) },
      ],
      key =>
        key === objectKey(nsRef)
          ? ns({ a: 'b' }, { resourceVersion: '99' })
          : undefined,
    );
    expect(plan.steps).toEqual([
      {
        type: 'apply',
        description: 'Recreate ConfigMap/istio-system/mesh as it was',
        object: {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'mesh', namespace: 'istio-system' },
          data: { v: '1' },
        },
      },
    ]);
  });
});
