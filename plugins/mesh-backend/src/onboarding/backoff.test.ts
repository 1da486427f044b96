import { onboardingOp } from './__testUtils__/fixtures';
import { attemptState, backoffDelayMs } from './backoff';
import type { OnboardingFix } from '@meshstage/plugin-mesh-common';

const settings = { initialMs: 60_000, maxMs: 3_600_000 };
const ref = 'component:default/reviews';
const onboard: OnboardingFix = {
  action: 'onboard',
  request: {
    action: 'onboard',
    mesh: 'istio',
    cluster: 'dev',
    namespace: 'bookinfo',
  },
};
const request = {
  action: 'onboard' as const,
  mesh: 'istio',
  namespace: 'bookinfo',
};
const at = (minute: number) =>
  new Date(Date.UTC(2026, 0, 1, 12, minute)).toISOString();

describe('backoffDelayMs', () => {
  it('doubles from the initial wait with each failure in a row, up to the maximum', () => {
    expect(
      [0, 1, 2, 3, 6, 7, 50].map(n => backoffDelayMs(n, settings)),
    ).toEqual([0, 60_000, 120_000, 240_000, 1_920_000, 3_600_000, 3_600_000]);
  });
});

describe('attemptState', () => {
  it('lets a fix start at once when the entity never tried it', () => {
    expect(
      attemptState({ entityRef: ref, fix: onboard, history: [], settings }),
    ).toEqual({ failures: 0 });
  });

  it('waits the initial delay after one failed operation, from when it ended', () => {
    const failed = onboardingOp(request, [ref], 'failed', {
      createdAt: at(0),
      finishedAt: at(2),
      error: 'step 3 timed out',
    });
    expect(
      attemptState({
        entityRef: ref,
        fix: onboard,
        history: [failed],
        settings,
      }),
    ).toEqual({ failures: 1, notBefore: at(3), lastError: 'step 3 timed out' });
  });

  it('doubles the wait with each further attempt of the same fix, a succeeded one that did not hold included', () => {
    const history = [
      onboardingOp(request, [ref], 'failed', {
        createdAt: at(0),
        finishedAt: at(1),
      }),
      onboardingOp(request, [ref], 'reverted', {
        createdAt: at(3),
        finishedAt: at(4),
      }),
      onboardingOp(request, [ref], 'succeeded', {
        createdAt: at(10),
        finishedAt: at(11),
      }),
    ];
    const state = attemptState({
      entityRef: ref,
      fix: onboard,
      history,
      settings,
    });
    expect(state.failures).toBe(3);
    // 4 minutes after the newest ended.
    expect(state.notBefore).toBe(at(15));
    expect(state.lastError).toMatch(
      /succeeded, but the namespace is out of sync again/,
    );
  });

  it('counts only the attempts since the entity last did something else there', () => {
    const history = [
      onboardingOp(request, [ref], 'failed', {
        createdAt: at(0),
        finishedAt: at(1),
      }),
      onboardingOp(request, [ref], 'failed', {
        createdAt: at(2),
        finishedAt: at(3),
      }),
      onboardingOp({ ...request, action: 'offboard' }, [ref], 'succeeded', {
        createdAt: at(5),
        finishedAt: at(6),
      }),
      onboardingOp(request, [ref], 'failed', {
        createdAt: at(8),
        finishedAt: at(9),
      }),
    ];
    expect(
      attemptState({ entityRef: ref, fix: onboard, history, settings }),
    ).toMatchObject({ failures: 1, notBefore: at(10) });
  });

  it('ignores other entities’ and other namespaces’ operations', () => {
    const history = [
      onboardingOp(request, ['component:default/ratings'], 'failed', {
        finishedAt: at(1),
      }),
      onboardingOp({ ...request, namespace: 'shop' }, [ref], 'failed', {
        finishedAt: at(1),
      }),
    ];
    expect(
      attemptState({ entityRef: ref, fix: onboard, history, settings }),
    ).toEqual({ failures: 0 });
  });

  it('reports the entity busy while an operation of its runs there', () => {
    const running = onboardingOp(request, [ref], 'running');
    expect(
      attemptState({
        entityRef: ref,
        fix: onboard,
        history: [running],
        settings,
      }),
    ).toEqual({ busy: running, failures: 0 });
  });

  it('adds refusals newer than the latest operation on top of it', () => {
    const failed = onboardingOp(request, [ref], 'failed', {
      createdAt: at(0),
      finishedAt: at(1),
    });
    expect(
      attemptState({
        entityRef: ref,
        fix: onboard,
        history: [failed],
        refusal: {
          at: at(20),
          failures: 2,
          error: 'Istio is not installed on dev',
        },
        settings,
      }),
    ).toEqual({
      failures: 3,
      notBefore: at(24),
      lastError: 'Istio is not installed on dev',
    });
  });
});
