import { InFlight } from './InFlight';

describe('InFlight', () => {
  it('shares a running call between the callers of its key, and calls again once it settled', async () => {
    const calls: string[] = [];
    let finish!: (value: string) => void;
    const inFlight = new InFlight<string, string>();
    const call = (key: string) => () => {
      calls.push(key);
      return new Promise<string>(resolve => {
        finish = resolve;
      });
    };
    const first = inFlight.run('a', call('a'));
    const second = inFlight.run('a', call('a'));
    expect(second).toBe(first);
    finish('one');
    await expect(first).resolves.toBe('one');
    const third = inFlight.run('a', call('a'));
    finish('two');
    await expect(third).resolves.toBe('two');
    expect(calls).toEqual(['a', 'a']);
  });

  it('frees the key after a failure, and keeps keys apart', async () => {
    const inFlight = new InFlight<string, string>();
    await expect(
      inFlight.run('a', async () => {
        throw new Error('registry down');
      }),
    ).rejects.toThrow('registry down');
    await expect(inFlight.run('a', async () => 'again')).resolves.toBe('again');
    const [a, b] = await Promise.all([
      inFlight.run('a', async () => 'A'),
      inFlight.run('b', async () => 'B'),
    ]);
    expect([a, b]).toEqual(['A', 'B']);
  });
});
