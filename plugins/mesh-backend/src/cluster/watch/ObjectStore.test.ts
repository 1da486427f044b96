import { ObjectStore } from './ObjectStore';

const pod = (
  namespace: string,
  name: string,
  labels: Record<string, string> = {},
  extra: Record<string, unknown> = {},
) => ({
  metadata: {
    namespace,
    name,
    labels,
    resourceVersion: '1',
    managedFields: [{ manager: 'kubectl', fieldsV1: { 'f:spec': {} } }],
  },
  spec: { containers: [{ name: 'app' }] },
  ...extra,
});

describe('ObjectStore', () => {
  it('answers lists like the API server: by namespace and label selector, in namespace and name order', () => {
    const store = new ObjectStore('v1', 'Pod');
    store.replace([
      pod('shop', 'web-2', { app: 'web', version: 'v2' }),
      pod('bookinfo', 'reviews-1', { app: 'reviews' }),
      pod('shop', 'web-1', { app: 'web', version: 'v1' }),
    ]);
    expect(store.list().map(p => p.metadata.name)).toEqual([
      'reviews-1',
      'web-1',
      'web-2',
    ]);
    expect(store.list({ namespace: 'shop' }).map(p => p.metadata.name)).toEqual(
      ['web-1', 'web-2'],
    );
    expect(
      store
        .list({ labelSelector: 'app=web,version in (v2,v3)' })
        .map(p => p.metadata.name),
    ).toEqual(['web-2']);
    expect(store.list({ labelSelector: '!version' })).toHaveLength(1);
    expect(() => store.list({ labelSelector: 'app in v1' })).toThrow(
      /Invalid label selector/,
    );
  });

  it('fills in apiVersion and kind, leaves managedFields out, and hands out frozen objects', () => {
    const store = new ObjectStore('v1', 'Pod');
    store.replace([pod('shop', 'web-1')]);
    const [first] = store.list();
    expect(first.apiVersion).toBe('v1');
    expect(first.kind).toBe('Pod');
    expect(first.metadata.managedFields).toBeUndefined();
    expect(first.metadata.resourceVersion).toBe('1');
    // A reader that changed a shared object would change every later reader's answer.
    expect(() => {
      (first.metadata.labels as Record<string, string>).app = 'changed';
    }).toThrow(TypeError);
    expect(() => {
      (first.spec as { containers: unknown[] }).containers.push({});
    }).toThrow(TypeError);
  });

  it('applies watch events, and a replayed event leaves the same state', () => {
    const store = new ObjectStore('v1', 'Pod');
    store.replace([pod('shop', 'web-1')]);
    const added = pod('shop', 'web-2', { app: 'web' });
    store.apply({ type: 'ADDED', object: added as never });
    store.apply({ type: 'ADDED', object: added as never });
    store.apply({
      type: 'MODIFIED',
      object: pod('shop', 'web-1', { app: 'web', version: 'v9' }) as never,
    });
    expect(store.size).toBe(2);
    expect(
      store.list({ labelSelector: 'version=v9' }).map(p => p.metadata.name),
    ).toEqual(['web-1']);
    store.apply({ type: 'DELETED', object: added as never });
    store.apply({ type: 'DELETED', object: added as never });
    expect(store.list().map(p => p.metadata.name)).toEqual(['web-1']);
  });

  it('accounts for the memory it holds as objects come and go', () => {
    const store = new ObjectStore('v1', 'ConfigMap');
    expect(store.bytes).toBe(0);
    store.replace([pod('a', 'one', {}, { data: { big: 'x'.repeat(10_000) } })]);
    const withBig = store.bytes;
    expect(withBig).toBeGreaterThan(10_000);
    store.apply({
      type: 'MODIFIED',
      object: pod('a', 'one', {}, { data: { big: 'x' } }) as never,
    });
    expect(store.bytes).toBeLessThan(1_000);
    store.apply({ type: 'DELETED', object: pod('a', 'one') as never });
    expect(store.bytes).toBe(0);
    expect(store.size).toBe(0);
  });

  it('counts a change for every list or event that changes what it holds, and none for an empty list over nothing', () => {
    const store = new ObjectStore('v1', 'Pod');
    store.replace([]);
    store.replace([]);
    expect(store.changes).toBe(0);
    store.replace([pod('shop', 'web-1')]);
    expect(store.changes).toBe(1);
    store.apply({ type: 'MODIFIED', object: pod('shop', 'web-1') as any });
    expect(store.changes).toBe(2);
    store.replace([]);
    expect(store.changes).toBe(3);
    expect(store.size).toBe(0);
  });
});
