import { withTimeout } from './withTimeout';

describe('withTimeout', () => {
  it('passes results and errors through', async () => {
    await expect(withTimeout(async () => 42, 1000, 'slow')).resolves.toBe(42);
    await expect(
      withTimeout(
        async () => {
          throw new Error('boom');
        },
        1000,
        'slow',
      ),
    ).rejects.toThrow('boom');
  });

  it('rejects with the message and aborts the signal when time runs out', async () => {
    let signal: AbortSignal | undefined;
    const start = Date.now();
    await expect(
      withTimeout(
        s => {
          signal = s;
          return new Promise(() => {});
        },
        50,
        'cluster did not answer',
      ),
    ).rejects.toThrow('cluster did not answer');
    expect(Date.now() - start).toBeLessThan(1000);
    expect(signal?.aborted).toBe(true);
  });
});
