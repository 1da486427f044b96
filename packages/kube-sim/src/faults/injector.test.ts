import { FaultInjector } from './injector';
import { parseFaultSpec } from './spec';
import { faultTarget } from './target';

const PATCH_ISTIOD = faultTarget(
  'PATCH',
  '/apis/apps/v1/namespaces/istio-system/deployments/istiod?fieldManager=meshstage',
);
const GET_ISTIOD = faultTarget(
  'GET',
  '/apis/apps/v1/namespaces/istio-system/deployments/istiod',
);
const LIST_PODS = faultTarget('GET', '/api/v1/pods?limit=500');
const WATCH_PODS = faultTarget('GET', '/api/v1/pods?watch=true');

const injector = (spec: string) => new FaultInjector(parseFaultSpec(spec));
const kinds = (i: FaultInjector, t = PATCH_ISTIOD, n = 1) =>
  Array.from({ length: n }, () => i.decide(t).fault?.kind ?? '-');

describe('faultTarget', () => {
  it('names the verb, resource and object of a request as RBAC does', () => {
    expect(PATCH_ISTIOD).toMatchObject({
      verb: 'patch',
      group: 'apps',
      resource: 'deployments',
      namespace: 'istio-system',
      name: 'istiod',
      streaming: false,
    });
    expect(LIST_PODS).toMatchObject({ verb: 'list', resource: 'pods' });
    expect(WATCH_PODS).toMatchObject({ verb: 'watch', streaming: true });
    expect(faultTarget('GET', '/api/v1/watch/pods').verb).toBe('watch');
    expect(faultTarget('DELETE', '/api/v1/namespaces/a/pods').verb).toBe(
      'deletecollection',
    );
    expect(faultTarget('POST', '/api/v1/namespaces/a/pods').verb).toBe(
      'create',
    );
    expect(faultTarget('GET', '/version')).toEqual({
      method: 'GET',
      verb: 'get',
      path: '/version',
      streaming: false,
    });
  });
});

describe('FaultInjector', () => {
  it('acts on the requests in scope only: verbs, resources with group, namespaces, names, paths', () => {
    for (const scope of [
      'verbs=patch',
      'resources=deployments',
      'resources=deployments.apps',
      'namespaces=istio-system',
      'names=istiod',
      'paths=/apis/apps/',
    ]) {
      expect(kinds(injector(`error500=1,${scope}`))).toEqual(['error500']);
      expect(kinds(injector(`error500=1,${scope}`), LIST_PODS)).toEqual(['-']);
    }
    expect(
      kinds(injector('error500=1,resources=deployments.extensions')),
    ).toEqual(['-']);
  });

  it('fails the next N matching requests after skipping some, then lets them through', () => {
    const i = injector('throttle429=1,skip=1,count=2,verbs=patch');
    expect(kinds(i, LIST_PODS)).toEqual(['-']);
    expect(kinds(i, PATCH_ISTIOD, 5)).toEqual([
      '-',
      'throttle429',
      'throttle429',
      '-',
      '-',
    ]);
    expect(i.stats()).toEqual([
      {
        rule: 'throttle429=1,skip=1,count=2,verbs=patch',
        matched: 5,
        applied: 2,
        injected: 2,
      },
    ]);
    expect(
      i.injected.map(f => [f.seq, f.kind, f.status, f.verb, f.name]),
    ).toEqual([
      [1, 'throttle429', 429, 'patch', 'istiod'],
      [2, 'throttle429', 429, 'patch', 'istiod'],
    ]);
  });

  it('makes the same choices from the same seed, and other ones from another', () => {
    const spec = 'error500=0.3,throttle429=0.2,cut=0.1;seed=42';
    const a = kinds(injector(spec), PATCH_ISTIOD, 200);
    const b = kinds(injector(spec), PATCH_ISTIOD, 200);
    const c = kinds(
      injector('error500=0.3,throttle429=0.2,cut=0.1;seed=43'),
      PATCH_ISTIOD,
      200,
    );
    expect(a).toEqual(b);
    expect(c).not.toEqual(a);
    // roughly the chances asked for (200 draws: far from the edges)
    const share = (k: string) => a.filter(x => x === k).length / a.length;
    expect(share('error500')).toBeGreaterThan(0.15);
    expect(share('error500')).toBeLessThan(0.45);
    expect(share('-')).toBeGreaterThan(0.25);
  });

  it('never gives a conflict to a read, a cut to a watch, or a drop to a plain request', () => {
    expect(kinds(injector('conflict409=1'), GET_ISTIOD)).toEqual(['-']);
    expect(kinds(injector('conflict409=1'), PATCH_ISTIOD)).toEqual([
      'conflict409',
    ]);
    expect(kinds(injector('cut=1'), WATCH_PODS)).toEqual(['-']);
    const drops = injector('dropWatch=5s,count=1');
    expect(drops.decide(LIST_PODS)).toEqual({ latencyMs: 0 });
    // the plain list did not use up the rule's one drop
    expect(drops.decide(WATCH_PODS).dropWatch).toEqual({
      afterMs: 5000,
      mode: 'reset',
    });
    expect(drops.decide(WATCH_PODS).dropWatch).toBeUndefined();
  });

  it('adds latencies, stops at the first terminal fault, and puts failNext rules first', () => {
    const i = injector(
      'latency=100ms;latency=50ms,error503=1:retryAfter=2;error500=1',
    );
    const d = i.decide(GET_ISTIOD);
    expect(d.latencyMs).toBe(150);
    expect(d.fault).toEqual({
      kind: 'error503',
      probability: 1,
      retryAfterSeconds: 2,
    });
    expect(i.stats().map(s => s.matched)).toEqual([1, 1, 0]);
    i.prepend({
      text: 'first',
      faults: [{ kind: 'forbidden403', probability: 1 }],
      scope: {},
      skip: 0,
      count: 1,
    });
    expect(kinds(i, GET_ISTIOD, 2)).toEqual(['forbidden403', 'error503']);
    i.clear();
    expect(i.active).toBe(false);
    expect(kinds(i, GET_ISTIOD)).toEqual(['-']);
    // the record outlives clear()
    expect(
      i.injected.filter(f => f.kind !== 'latency').map(f => f.kind),
    ).toEqual(['error503', 'forbidden403', 'error503']);
  });
});
