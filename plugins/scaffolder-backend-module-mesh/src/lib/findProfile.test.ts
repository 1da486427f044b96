import type { BenchmarkProfile } from '@meshstage/plugin-mesh-common';
import { findProfile } from './findProfile';

const profile = (id: string, name: string) =>
  ({ id, name } as BenchmarkProfile);

describe('findProfile', () => {
  const profiles = [
    profile('p1', 'smoke'),
    profile('p2', 'soak'),
    profile('p3', 'soak'),
  ];

  it('finds by id first, then by a unique name', () => {
    expect(findProfile(profiles, 'p2').id).toBe('p2');
    expect(findProfile(profiles, 'smoke').id).toBe('p1');
    expect(
      findProfile([profile('smoke', 'x'), profile('p9', 'smoke')], 'smoke').id,
    ).toBe('smoke');
  });

  it('asks for the id when a name is ambiguous, and lists names when nothing matches', () => {
    expect(() => findProfile(profiles, 'soak')).toThrow(
      "Invalid input 'profile': 2 benchmark profiles are named 'soak' (ids p2, p3); give the id",
    );
    expect(() => findProfile(profiles, 'load')).toThrow(
      "no benchmark profile has the id or name 'load' (there are: 'smoke', 'soak', 'soak')",
    );
    expect(() => findProfile([], 'load')).toThrow(
      '(there are none yet: create one on the Performance tab)',
    );
  });
});
