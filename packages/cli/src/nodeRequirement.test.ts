import { benchNodeProblem } from './nodeRequirement';

describe('benchNodeProblem', () => {
  it('accepts Node 22.19 and newer', () => {
    for (const v of ['22.19.0', '22.23.3', '24.1.0', '25.0.0'])
      expect(benchNodeProblem(v)).toBeUndefined();
  });

  it('says why an older Node cannot run bench, and that validate still runs', () => {
    expect(benchNodeProblem('20.19.2')).toBe(
      'bench needs Node.js 22.19 or newer (this is v20.19.2); validate runs on this one',
    );
    expect(benchNodeProblem('22.18.9')).toMatch(/needs Node\.js 22\.19/);
  });
});
