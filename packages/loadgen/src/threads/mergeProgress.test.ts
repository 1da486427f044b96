import { mergeProgress } from './mergeProgress';

describe('mergeProgress', () => {
  it('adds counts and approximates latency across threads', () => {
    expect(
      mergeProgress([
        {
          elapsedMs: 900,
          completed: 300,
          failed: 1,
          warmingUp: false,
          latencyMs: { p50: 1, p99: 5, max: 9 },
        },
        {
          elapsedMs: 1000,
          completed: 100,
          failed: 0,
          warmingUp: false,
          latencyMs: { p50: 3, p99: 4, max: 20 },
        },
      ]),
    ).toEqual({
      elapsedMs: 1000,
      completed: 400,
      failed: 1,
      warmingUp: false,
      latencyMs: { p50: 1.5, p99: 5, max: 20 },
    });
  });

  it('has no latency before any thread measured a request', () => {
    expect(
      mergeProgress([
        { elapsedMs: -200, completed: 0, failed: 0, warmingUp: true },
        { elapsedMs: -210, completed: 0, failed: 0, warmingUp: true },
      ]),
    ).toEqual({ elapsedMs: -200, completed: 0, failed: 0, warmingUp: true });
  });
});
