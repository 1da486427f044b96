import { formatProgress, ProgressLine } from './progress';

describe('progress line', () => {
  it('draws on a TTY and rewrites one line', () => {
    const out: string[] = [];
    let now = 0;
    const line = new ProgressLine(
      { isTTY: true, write: s => out.push(s) },
      10_000,
      undefined,
      () => now,
    );
    line.update({
      elapsedMs: 1000,
      completed: 1000,
      failed: 0,
      warmingUp: false,
    });
    now = 1000;
    line.update({
      elapsedMs: 2000,
      completed: 3000,
      failed: 2,
      warmingUp: false,
    });
    line.done();
    expect(out[1]).toBe(
      '\r\x1b[2Kmeshperf  2.0s/10s  3,000 req  2,000 req/s  2 failed',
    );
    expect(out[out.length - 1]).toBe('\r\x1b[2K');
  });

  it('writes nothing when the stream is not a TTY', () => {
    const out: string[] = [];
    const line = new ProgressLine(
      { isTTY: false, write: s => out.push(s) },
      10_000,
    );
    line.update({
      elapsedMs: 1000,
      completed: 10,
      failed: 0,
      warmingUp: false,
    });
    line.done();
    expect(line.enabled).toBe(false);
    expect(out).toEqual([]);
  });

  it('shows warmup and count runs', () => {
    expect(
      formatProgress(
        { elapsedMs: -1500, completed: 0, failed: 0, warmingUp: true },
        0,
      ),
    ).toBe('meshperf  warming up 1.5s left');
    expect(
      formatProgress(
        { elapsedMs: 10, completed: 50, failed: 0, warmingUp: false },
        100,
        undefined,
        200,
      ),
    ).toBe('meshperf  50/200 req  100 req/s  0 failed');
  });
});
