import { RecentValue } from './RecentValue';

describe('RecentValue', () => {
  it('reads once for callers within the time to live, and again after it', async () => {
    let reads = 0;
    let now = 1_000;
    jest.spyOn(Date, 'now').mockImplementation(() => now);
    const value = new RecentValue(async () => ++reads, 500);
    expect(await Promise.all([value.get(), value.get(), value.get()])).toEqual([
      1, 1, 1,
    ]);
    now += 500;
    expect(await value.get()).toBe(1);
    now += 1;
    expect(await value.get()).toBe(2);
    expect(reads).toBe(2);
  });

  it('keeps no failed read: the next caller reads again', async () => {
    let fail = true;
    const value = new RecentValue(async () => {
      if (fail) throw new Error('catalog down');
      return 'entities';
    }, 60_000);
    await expect(value.get()).rejects.toThrow('catalog down');
    fail = false;
    await expect(value.get()).resolves.toBe('entities');
  });

  afterEach(() => jest.restoreAllMocks());
});
