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

  describe('with a clock the test moves', () => {
    beforeEach(() => jest.useFakeTimers());
    afterEach(() => jest.useRealTimers());

    it('rejects with the message and aborts the signal when time runs out, not before', async () => {
      let signal: AbortSignal | undefined;
      let outcome: unknown;
      const pending = withTimeout(
        s => {
          signal = s;
          return new Promise(() => {});
        },
        50,
        'cluster did not answer',
      ).catch(error => {
        outcome = error;
      });
      await jest.advanceTimersByTimeAsync(49);
      expect(outcome).toBeUndefined();
      expect(signal?.aborted).toBe(false);
      await jest.advanceTimersByTimeAsync(1);
      await pending;
      expect(outcome).toEqual(new Error('cluster did not answer'));
      expect(signal?.aborted).toBe(true);
    });
  });
});
