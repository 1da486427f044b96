import { Recorder } from './recorder';

describe('Recorder.latencySoFar', () => {
  it('is undefined before the first response, then reports p50, p99 and max in ms', () => {
    const recorder = new Recorder();
    expect(recorder.latencySoFar()).toBeUndefined();
    // 99 fast responses (1 ms) and one slow one (250 ms)
    for (let i = 0; i < 99; i++) {
      recorder.response(i, 1000, 200, true, 0, 10, 10);
    }
    recorder.response(100, 250_000, 200, true, 0, 10, 10);
    const latency = recorder.latencySoFar()!;
    expect(latency.p50).toBeCloseTo(1, 2);
    expect(latency.p99).toBeCloseTo(1, 2);
    expect(latency.max).toBeCloseTo(250, 0);
  });
});
