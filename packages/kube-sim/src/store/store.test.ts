import { ResourceVersionTooOld, Store, StoreEvent } from './store';

const cm = (name: string, ns = 'default') => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: ns, uid: `uid-${name}` },
});

describe('store', () => {
  it('assigns increasing resourceVersions, freezes objects and announces events', () => {
    const s = new Store();
    const events: StoreEvent[] = [];
    s.subscribe(e => events.push(e));
    const a = s.put('/configmaps', cm('a'));
    const b = s.put('/configmaps', cm('b', 'other'));
    const a2 = s.put('/configmaps', { ...cm('a'), data: { x: '1' } });
    const gone = s.remove('/configmaps', 'other', 'b');
    expect([a, b, a2, gone].map(o => o?.metadata?.resourceVersion)).toEqual([
      '1',
      '2',
      '3',
      '4',
    ]);
    expect(events.map(e => `${e.type}:${e.rv}`)).toEqual([
      'ADDED:1',
      'ADDED:2',
      'MODIFIED:3',
      'DELETED:4',
    ]);
    expect(events[2].old).toBe(a);
    expect(Object.isFrozen(a2.metadata)).toBe(true);
    expect(() => {
      (a2.metadata as Record<string, unknown>).name = 'x';
    }).toThrow();
    expect(s.list('/configmaps').map(o => o.metadata?.name)).toEqual(['a']);
    expect(s.list('/configmaps', 'other')).toEqual([]);
  });

  it('replays history after a resourceVersion and reports too old ones', () => {
    const s = new Store(5);
    for (let i = 0; i < 12; i++) s.put('/configmaps', cm(`c${i}`));
    expect(s.eventsSince(10).map(e => e.rv)).toEqual([11, 12]);
    expect(s.eventsSince(7).map(e => e.rv)).toEqual([8, 9, 10, 11, 12]);
    expect(s.eventsSince(12)).toEqual([]);
    expect(() => s.eventsSince(3)).toThrow(ResourceVersionTooOld);
  });

  it('forgets its watch history on compact(): only the current resourceVersion resumes', () => {
    const s = new Store();
    for (let i = 0; i < 3; i++) s.put('/configmaps', cm(`c${i}`));
    s.compact();
    expect(() => s.eventsSince(2)).toThrow('too old resource version: 2 (3)');
    expect(s.eventsSince(3)).toEqual([]);
    s.put('/configmaps', cm('after'));
    expect(s.eventsSince(3).map(e => e.rv)).toEqual([4]);
  });

  it('indexes owners for garbage collection', () => {
    const s = new Store();
    s.put('apps/replicasets', {
      metadata: {
        name: 'rs',
        namespace: 'd',
        uid: 'rs-uid',
        ownerReferences: [
          {
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            name: 'x',
            uid: 'd-uid',
          },
        ],
      },
    });
    expect(s.dependentsOf('d-uid')).toEqual([
      { key: 'apps/replicasets', namespace: 'd', name: 'rs' },
    ]);
    expect(s.findUid('rs-uid')).toEqual({
      key: 'apps/replicasets',
      namespace: 'd',
      name: 'rs',
    });
    s.remove('apps/replicasets', 'd', 'rs');
    expect(s.dependentsOf('d-uid')).toEqual([]);
    expect(s.findUid('rs-uid')).toBeUndefined();
  });
});
