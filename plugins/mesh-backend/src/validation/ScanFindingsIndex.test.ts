import { objectIdentity } from '@meshstage/plugin-mesh-node';
import { FindingsByResource, ScanFindingsIndex } from './ScanFindingsIndex';

const finding = (name: string, message: string) => ({
  message,
  resource: { apiVersion: 'v1', kind: 'Service', namespace: 'shop', name },
});

describe('ScanFindingsIndex', () => {
  it("gives the findings on the resources asked for, in the scan's order", () => {
    const index = new FindingsByResource<{
      message: string;
      resource?: ReturnType<typeof finding>['resource'];
    }>([
      finding('cart', 'first'),
      finding('web', 'second'),
      { message: 'no resource' },
      finding('cart', 'third'),
    ]);
    const of = (name: string) =>
      objectIdentity({
        apiVersion: 'v1',
        kind: 'Service',
        namespace: 'shop',
        name,
      });
    expect(index.on([of('web'), of('cart')]).map(f => f.message)).toEqual([
      'first',
      'second',
      'third',
    ]);
    expect(index.on([of('nothing')])).toEqual([]);
  });

  it('reads each scan once, keeps the most recently asked for, and forgets a failed read', async () => {
    const reads: Array<number | string> = [];
    let fail = false;
    const index = new ScanFindingsIndex(async scanId => {
      reads.push(scanId);
      if (fail) throw new Error('database gone');
      return { findings: [finding('cart', `scan ${scanId}`)], fixed: [] };
    }, 2);
    await Promise.all([index.get(1), index.get(1)]);
    await index.get(2);
    await index.get(1); // 1 is now the most recent: 2 goes when 3 comes
    await index.get(3);
    await index.get(1);
    await index.get(2);
    expect(reads).toEqual([1, 2, 3, 2]);
    fail = true;
    await expect(index.get(4)).rejects.toThrow('database gone');
    fail = false;
    await expect(index.get(4)).resolves.toBeDefined();
    expect(reads.filter(r => r === 4)).toHaveLength(2);
  });
});
