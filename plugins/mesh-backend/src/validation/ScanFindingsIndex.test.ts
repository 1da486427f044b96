import { randomUUID } from 'node:crypto';
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
    const [one, two, three, four] = Array.from({ length: 4 }, () =>
      randomUUID(),
    );
    const reads: string[] = [];
    let fail = false;
    const index = new ScanFindingsIndex(
      async scanId => {
        reads.push(scanId);
        if (fail) throw new Error('database gone');
        return { findings: [finding('cart', `scan ${scanId}`)], fixed: [] };
      },
      { maxScans: 2 },
    );
    await Promise.all([index.get(one), index.get(one)]);
    await index.get(two);
    await index.get(one); // one is now the most recent: two goes when three comes
    await index.get(three);
    await index.get(one);
    await index.get(two);
    expect(reads).toEqual([one, two, three, two]);
    fail = true;
    await expect(index.get(four)).rejects.toThrow('database gone');
    fail = false;
    await expect(index.get(four)).resolves.toBeDefined();
    expect(reads.filter(r => r === four)).toHaveLength(2);
  });

  it('picks the scan-wide findings once per scan, in order', async () => {
    let reads = 0;
    const index = new ScanFindingsIndex(
      async () => {
        reads++;
        return {
          findings: [
            { message: 'skipped ClusterRoles' },
            finding('cart', 'on cart'),
            { message: 'skipped AuthorizationPolicies' },
          ],
          fixed: [],
        };
      },
      { scanWide: f => f.message.startsWith('skipped') },
    );
    const scanId = randomUUID();
    const [a, b] = await Promise.all([index.get(scanId), index.get(scanId)]);
    expect(a.scanWide.map(f => f.message)).toEqual([
      'skipped ClusterRoles',
      'skipped AuthorizationPolicies',
    ]);
    expect(b.scanWide).toBe(a.scanWide);
    expect(reads).toBe(1);
  });
});
