import type { OnboardingFix } from '@meshstage/plugin-mesh-common';
import { onboardingOp } from './__testUtils__/fixtures';
import { type PendingFix, planStarts } from './planStarts';

function fix(
  cluster: string,
  namespace: string,
  mesh = 'istio',
  action: 'onboard' | 'offboard' = 'onboard',
): OnboardingFix {
  return { action, request: { action, mesh, cluster, namespace } };
}

function pending(
  entityRef: string,
  f: OnboardingFix,
  attempt = {},
): PendingFix {
  return { entityRef, fix: f, attempt: { failures: 0, ...attempt } };
}

const now = new Date('2026-01-01T12:00:00Z');

describe('planStarts', () => {
  it('starts one operation for the entities that share a namespace, naming them all', () => {
    const { start, skipped } = planStarts({
      pending: [
        pending('component:default/reviews', fix('dev', 'bookinfo')),
        pending('component:default/details', fix('dev', 'bookinfo')),
      ],
      lockedBy: new Map(),
      slots: 5,
      now,
    });
    expect(start).toEqual([
      {
        fix: fix('dev', 'bookinfo'),
        entityRefs: ['component:default/details', 'component:default/reviews'],
      },
    ]);
    expect(skipped).toEqual([]);
  });

  it('starts no more than the free slots allow', () => {
    const { start, skipped } = planStarts({
      pending: [
        pending('component:default/a', fix('dev', 'team-a')),
        pending('component:default/b', fix('east', 'team-b')),
        pending('component:default/c', fix('west', 'team-c')),
      ],
      lockedBy: new Map(),
      slots: 2,
      now,
    });
    expect(start.map(s => s.fix.request.cluster)).toEqual(['dev', 'east']);
    expect(skipped).toEqual([
      expect.objectContaining({
        entityRefs: ['component:default/c'],
        reason: expect.stringMatching(/maxConcurrent/),
      }),
    ]);
    expect(
      planStarts({
        pending: [pending('component:default/a', fix('dev', 'team-a'))],
        lockedBy: new Map(),
        slots: 0,
        now,
      }).start,
    ).toEqual([]);
  });

  it('skips a cluster and mesh another operation holds, and starts one per cluster and mesh', () => {
    const { start, skipped } = planStarts({
      pending: [
        pending('component:default/a', fix('dev', 'team-a')),
        pending('component:default/b', fix('dev', 'team-b')),
        pending('component:default/c', fix('east', 'team-c')),
        pending('component:default/d', fix('east', 'team-d', 'linkerd')),
      ],
      lockedBy: new Map([['east|istio', 'op-1']]),
      slots: 5,
      now,
    });
    expect(start.map(s => s.entityRefs[0])).toEqual([
      'component:default/a',
      'component:default/d',
    ]);
    expect(skipped.map(s => [s.entityRefs[0], s.reason])).toEqual([
      [
        'component:default/b',
        "another automatic operation starts on cluster 'dev' and mesh 'istio' first",
      ],
      [
        'component:default/c',
        "operation op-1 holds cluster 'east' and mesh 'istio'",
      ],
    ]);
  });

  it('leaves out entities that are backing off or whose operation runs, and starts for the rest', () => {
    const running = onboardingOp(
      { action: 'onboard', mesh: 'istio', namespace: 'bookinfo' },
      ['component:default/c'],
      'running',
    );
    const { start, skipped } = planStarts({
      pending: [
        pending('component:default/a', fix('dev', 'bookinfo'), {
          failures: 2,
          notBefore: '2026-01-01T12:05:00.000Z',
        }),
        pending('component:default/b', fix('dev', 'bookinfo'), {
          failures: 1,
          notBefore: '2026-01-01T11:59:00.000Z',
        }),
        pending('component:default/c', fix('dev', 'shop'), { busy: running }),
      ],
      lockedBy: new Map(),
      slots: 5,
      now,
    });
    expect(start).toEqual([
      { fix: fix('dev', 'bookinfo'), entityRefs: ['component:default/b'] },
    ]);
    expect(skipped.map(s => s.reason)).toEqual([
      'backing off after 2 failed attempts until 2026-01-01T12:05:00.000Z',
      `operation ${running.id} for it is running`,
    ]);
  });
});
