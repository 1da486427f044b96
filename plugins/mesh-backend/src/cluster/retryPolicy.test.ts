import {
  backoffMs,
  type ClusterRetryPolicy,
  decideRetry,
  DEFAULT_CLUSTER_RETRY,
  failureOfError,
  isTransient,
  parseRetryAfter,
  type RequestFailure,
  surelyNotServed,
} from './retryPolicy';

const policy: ClusterRetryPolicy = {
  attempts: 4,
  initialDelayMs: 100,
  maxDelayMs: 1000,
  maxRetryAfterMs: 5000,
  budgetMs: 20_000,
};
const status = (s: number, retryAfter?: string): RequestFailure => ({
  kind: 'status',
  status: s,
  retryAfter,
});
const NOW = Date.parse('2026-01-02T03:04:05Z');
const decide = (
  failure: RequestFailure,
  over: Partial<Parameters<typeof decideRetry>[0]> = {},
) =>
  decideRetry({
    policy,
    failure,
    safety: 'idempotent',
    attempt: 1,
    elapsedMs: 0,
    nowMs: NOW,
    random: 0.5,
    ...over,
  });

describe('the cluster retry policy', () => {
  it('calls throttling, server errors, dropped connections and timeouts transient; refusals permanent', () => {
    for (const s of [429, 500, 502, 503, 504])
      expect(isTransient(status(s))).toBe(true);
    for (const s of [400, 401, 403, 404, 409, 410, 422])
      expect(isTransient(status(s))).toBe(false);
    for (const code of [
      'ECONNREFUSED',
      'ECONNRESET',
      'ERR_STREAM_PREMATURE_CLOSE',
    ])
      expect(isTransient({ kind: 'connection', code })).toBe(true);
    for (const code of ['ENOTFOUND', 'DEPTH_ZERO_SELF_SIGNED_CERT'])
      expect(isTransient({ kind: 'connection', code })).toBe(false);
    expect(isTransient({ kind: 'timeout' })).toBe(true);
  });

  it('knows only a 429 and a refused connection were surely not served', () => {
    expect(surelyNotServed(status(429))).toBe(true);
    expect(surelyNotServed({ kind: 'connection', code: 'ECONNREFUSED' })).toBe(
      true,
    );
    expect(surelyNotServed(status(500))).toBe(false);
    expect(surelyNotServed({ kind: 'connection', code: 'ECONNRESET' })).toBe(
      false,
    );
    expect(surelyNotServed({ kind: 'timeout' })).toBe(false);
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    expect(parseRetryAfter('3', NOW)).toBe(3000);
    expect(parseRetryAfter(' 0 ', NOW)).toBe(0);
    expect(parseRetryAfter('Fri, 02 Jan 2026 03:04:07 GMT', NOW)).toBe(2000);
    expect(parseRetryAfter('Fri, 02 Jan 2026 03:00:00 GMT', NOW)).toBe(0);
    for (const bad of [undefined, '', 'soon', '1.5', '-1'])
      expect(parseRetryAfter(bad, NOW)).toBeUndefined();
  });

  it('backs off exponentially with equal jitter, up to the maximum', () => {
    expect([1, 2, 3, 4, 5, 6].map(n => backoffMs(policy, n, 0))).toEqual([
      50, 100, 200, 400, 500, 500,
    ]);
    expect([1, 2, 3, 4, 5, 6].map(n => backoffMs(policy, n, 0.999999))).toEqual(
      [100, 200, 400, 800, 1000, 1000],
    );
  });

  it('waits out Retry-After (capped) instead of the backoff', () => {
    expect(decide(status(429, '2'))).toEqual({ retry: true, delayMs: 2000 });
    expect(decide(status(503, '60'))).toEqual({ retry: true, delayMs: 5000 });
    expect(decide(status(500))).toEqual({ retry: true, delayMs: 75 });
    expect(decide(status(500), { attempt: 3 })).toEqual({
      retry: true,
      delayMs: 300,
    });
  });

  it('stops at the attempt limit, the budget, permanent errors and requests that must not land twice', () => {
    expect(decide(status(500), { attempt: 4 })).toEqual({
      retry: false,
      why: '4 attempts made',
    });
    expect(decide(status(429, '5'), { elapsedMs: 16_000 })).toEqual({
      retry: false,
      why: 'the retry budget of 20000 ms would be spent',
    });
    expect(decide(status(422))).toEqual({ retry: false, why: 'not transient' });
    expect(decide(status(500), { safety: 'once' })).toMatchObject({
      retry: false,
    });
    expect(decide({ kind: 'timeout' }, { safety: 'once' })).toMatchObject({
      retry: false,
    });
    expect(decide(status(429, '1'), { safety: 'once' })).toEqual({
      retry: true,
      delayMs: 1000,
    });
    expect(
      decide({ kind: 'connection', code: 'ECONNREFUSED' }, { safety: 'once' }),
    ).toMatchObject({ retry: true });
    expect(
      decide(status(500), { policy: { ...policy, attempts: 1 } }),
    ).toMatchObject({
      retry: false,
    });
  });

  it('tells connection failures and timeouts from other errors', () => {
    expect(
      failureOfError(Object.assign(new Error('x'), { code: 'ECONNRESET' })),
    ).toEqual({
      kind: 'connection',
      code: 'ECONNRESET',
    });
    expect(
      failureOfError(
        Object.assign(new Error('late'), { name: 'KubeRequestTimeoutError' }),
      ),
    ).toEqual({ kind: 'timeout' });
    expect(failureOfError(new TypeError('bug'))).toBeUndefined();
    expect(
      failureOfError(
        Object.assign(new Error('tls'), { code: 'CERT_HAS_EXPIRED' }),
      ),
    ).toBeUndefined();
  });

  it('keeps its defaults within the budget: four attempts, a few seconds of backoff at most', () => {
    const worst = [1, 2, 3].reduce(
      (sum, n) => sum + backoffMs(DEFAULT_CLUSTER_RETRY, n, 0.999999),
      0,
    );
    expect(worst).toBeLessThan(DEFAULT_CLUSTER_RETRY.budgetMs);
  });
});
