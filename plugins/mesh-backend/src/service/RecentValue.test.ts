import { RecentValue } from './RecentValue';

const settle = () => new Promise(resolve => setImmediate(resolve));

describe('RecentValue', () => {
  afterEach(() => jest.restoreAllMocks());

  it('reads once for the first callers, then answers at once and reads again in the background once stale', async () => {
    let reads = 0;
    let now = 1_000;
    jest.spyOn(Date, 'now').mockImplementation(() => now);
    const value = new RecentValue(async () => ++reads, 500);
    expect(await Promise.all([value.get(), value.get(), value.get()])).toEqual([
      1, 1, 1,
    ]);
    now += 500;
    expect(await value.get()).toBe(1);
    expect(reads).toBe(1);
    now += 1;
    // Stale: this caller is not made to wait; the next one sees the new read.
    expect(await value.get()).toBe(1);
    await settle();
    expect(await value.get()).toBe(2);
    expect(reads).toBe(2);
  });

  it('fails the first callers when there is nothing yet, and keeps the last value when a later read fails', async () => {
    let fail = true;
    let now = 1_000;
    jest.spyOn(Date, 'now').mockImplementation(() => now);
    const value = new RecentValue(async () => {
      if (fail) throw new Error('catalog down');
      return `entities at ${now}`;
    }, 100);
    await expect(value.get()).rejects.toThrow('catalog down');
    fail = false;
    await expect(value.get()).resolves.toBe('entities at 1000');
    fail = true;
    now += 500;
    await expect(value.get()).resolves.toBe('entities at 1000');
    await settle();
    await expect(value.get()).resolves.toBe('entities at 1000');
  });

  it('waits for a fresh read once the value is ten times older than its time to live', async () => {
    let now = 1_000;
    jest.spyOn(Date, 'now').mockImplementation(() => now);
    const value = new RecentValue(async () => `read at ${now}`, 100);
    expect(await value.get()).toBe('read at 1000');
    now += 1_001;
    expect(await value.get()).toBe('read at 2001');
  });

  it('keeps the last object when a read has the same content, and takes the new one when it changed', async () => {
    let now = 1_000;
    jest.spyOn(Date, 'now').mockImplementation(() => now);
    let names = ['a', 'b'];
    const value = new RecentValue(
      async () => names.map(name => ({ name })),
      100,
      list => list.map(e => e.name).join(','),
    );
    const first = await value.get();
    now += 101;
    await value.get();
    await settle();
    // Read again, equal: the same object, so what was derived from it still holds.
    expect(await value.get()).toBe(first);
    names = ['a', 'c'];
    now += 101;
    await value.get();
    await settle();
    const changed = await value.get();
    expect(changed).not.toBe(first);
    expect(changed).toEqual([{ name: 'a' }, { name: 'c' }]);
  });
});
