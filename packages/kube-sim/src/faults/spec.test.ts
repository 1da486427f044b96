import { FaultSpecError, parseFaultSpec } from './spec';

describe('the --faults spec language', () => {
  it('reads faults, scope, limits and spec-wide settings', () => {
    expect(
      parseFaultSpec(
        'latency=200ms,error500=0.1,conflict409=5%,throttle429=0.1:retryAfter=3,cut=0.02:at=headers,verbs=patch,delete,resources=deployments.apps,pods/log,skip=1,count=4;dropWatch=30s:mode=end,namespaces=istio-system;seed=42;restart=90s:down=2s',
      ),
    ).toEqual({
      seed: 42,
      restart: { everyMs: 90_000, downMs: 2000 },
      rules: [
        {
          text: 'latency=200ms,error500=0.1,conflict409=5%,throttle429=0.1:retryAfter=3,cut=0.02:at=headers,verbs=patch,delete,resources=deployments.apps,pods/log,skip=1,count=4',
          latency: { minMs: 200, maxMs: 200 },
          faults: [
            { kind: 'error500', probability: 0.1 },
            { kind: 'conflict409', probability: 0.05 },
            { kind: 'throttle429', probability: 0.1, retryAfterSeconds: 3 },
            { kind: 'cut', probability: 0.02, cutAt: 'headers' },
          ],
          scope: {
            verbs: ['patch', 'delete'],
            resources: ['deployments.apps', 'pods/log'],
          },
          skip: 1,
          count: 4,
        },
        {
          text: 'dropWatch=30s:mode=end,namespaces=istio-system',
          faults: [],
          dropWatch: { afterMs: 30_000, mode: 'end' },
          scope: { namespaces: ['istio-system'] },
          skip: 0,
        },
      ],
    });
  });

  it('fills in the defaults: 429 after 1 s, a cut mid-body, a watch reset, 1 s down', () => {
    const spec = parseFaultSpec(
      'throttle429=1,cut=0:at=body;dropWatch=1m;latency=10ms-1.5s;restart=10s',
    );
    expect(spec.rules[0].faults).toEqual([
      { kind: 'throttle429', probability: 1, retryAfterSeconds: 1 },
      { kind: 'cut', probability: 0, cutAt: 'body' },
    ]);
    expect(spec.rules[1].dropWatch).toEqual({ afterMs: 60_000, mode: 'reset' });
    expect(spec.rules[2].latency).toEqual({ minMs: 10, maxMs: 1500 });
    expect(spec.restart).toEqual({ everyMs: 10_000, downMs: 1000 });
  });

  it.each([
    ['', 'the fault spec is empty'],
    ['error500=0.1;', 'rule 2 of "error500=0.1;" is empty'],
    ['eror500=0.1', 'unknown key "eror500" in "eror500=0.1"'],
    ['error500=1.5', '"error500=1.5": want a chance from 0 to 1'],
    ['error500=abc', '"error500=abc": want a chance from 0 to 1'],
    ['error500=', '"error500=": missing value'],
    ['latency=200', '"latency=200": want a duration with a unit'],
    ['latency=2s-1s', '"latency=2s-1s": the range ends before it starts'],
    [
      'error500=0.6,throttle429=0.6',
      'the chances in "error500=0.6,throttle429=0.6" add up to 1.2; at most 1',
    ],
    ['verbs=patch', '"verbs=patch" has no fault'],
    ['verbs=fetch,error500=1', '"verbs=fetch": unknown verb "fetch"'],
    ['error500=1,verbs=get,fetch', '"fetch": unknown verb "fetch"'],
    ['error500=1,delete', '"delete" is not key=value'],
    [
      'error500=1,resources=Deployments',
      '"resources=Deployments": "Deployments" is not a resource',
    ],
    ['error500=1,paths=apis', '"paths=apis": path "apis" must start with /'],
    [
      'throttle429=1:retryafter=2',
      '"throttle429=1:retryafter=2": unknown option "retryafter" (retryAfter)',
    ],
    [
      'throttle429=1:retryAfter=-1',
      '"throttle429=1:retryAfter=-1": want a whole number',
    ],
    ['error500=1:retryAfter=2', '"error500=1:retryAfter=2": takes no options'],
    [
      'cut=1:at=middle',
      '"cut=1:at=middle": at= wants request, headers or body',
    ],
    [
      'dropWatch=5s:mode=close',
      '"dropWatch=5s:mode=close": mode= wants reset or end',
    ],
    ['error500=1,count=0', '"count=0": want a whole number of at least 1'],
    [
      'error500=1,error500=0.5',
      '"error500" given twice in "error500=1,error500=0.5"',
    ],
    ['seed=1;seed=2', '"seed" given twice'],
    ['seed=-1', '"seed=-1": want a whole number from 0 to 4294967295'],
    [
      'restart=1s:down=2s',
      '"restart=1s:down=2s": the interval must be longer than down=',
    ],
  ])('refuses %p: %s', (spec, message) => {
    let error: unknown;
    try {
      parseFaultSpec(spec);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(FaultSpecError);
    expect((error as Error).message).toContain(message);
    expect((error as Error).message).not.toContain('\n');
  });
});
