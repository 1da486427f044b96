import { kubectlFixture, KubectlFixture } from '../__testUtils__/kubectl';

jest.setTimeout(180_000);

describe('a cluster with 1000 pods', () => {
  let f: KubectlFixture;
  beforeAll(async () => {
    // controllers off: the pods stay as created, this measures the read path only
    f = await kubectlFixture({ controllers: false });
    const podType = f.sim.api.registry.find('', 'v1', 'pods')!;
    const nsType = f.sim.api.registry.find('', 'v1', 'namespaces')!;
    for (let n = 0; n < 10; n++) {
      f.sim.api.create(
        nsType,
        '',
        { metadata: { name: `team-${n}` } },
        { fieldManager: 'test' },
      );
      for (let i = 0; i < 100; i++) {
        f.sim.api.create(
          podType,
          `team-${n}`,
          {
            metadata: { name: `pod-${i}`, labels: { i: String(i % 10) } },
            spec: { containers: [{ name: 'c', image: 'nginx' }] },
          },
          { fieldManager: 'test' },
        );
      }
    }
    await f.ok(['get', 'ns']);
  });
  afterAll(() => f.close());

  // How fast is not asserted (a wall-clock bound fails on a busy machine): every pod is listed.
  it('lists them all with kubectl get pods -A', async () => {
    const out = await f.ok(['get', 'pods', '-A']);
    expect(out.trim().split('\n')).toHaveLength(1001);
    const selected = await f.ok([
      'get',
      'pods',
      '-A',
      '-l',
      'i=3',
      '-o',
      'name',
    ]);
    expect(selected.trim().split('\n')).toHaveLength(100);
  });
});
