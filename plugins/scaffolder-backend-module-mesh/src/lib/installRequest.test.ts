import type { MeshStatus } from '@meshstage/plugin-mesh-common';
import { decideInstall } from './installRequest';

const status = (versions: string[], error?: string): MeshStatus => ({
  mesh: 'istio',
  cluster: 'dev',
  installed: versions.length > 0,
  versions,
  revisions: [],
  components: [],
  namespaces: [],
  ...(error ? { error } : {}),
});

const input = { cluster: 'dev', mesh: 'istio', version: '1.24.2' };

describe('decideInstall', () => {
  it('installs a mesh the cluster does not run, with the install-only settings', () => {
    expect(
      decideInstall(
        { ...input, profile: 'minimal', values: { a: 1 }, revision: '1-24-2' },
        status([]),
      ),
    ).toEqual({
      action: 'install',
      request: {
        action: 'install',
        cluster: 'dev',
        mesh: 'istio',
        version: '1.24.2',
        profile: 'minimal',
        values: { a: 1 },
        revision: '1-24-2',
      },
      notes: [],
    });
    // A strategy (which forms always send) is for upgrades; an install takes no note of it.
    expect(
      decideInstall({ ...input, strategy: 'in-place' }, status([])),
    ).toMatchObject({ action: 'install', notes: [] });
  });

  it('upgrades in place by default when another version runs, and says what it leaves out', () => {
    expect(
      decideInstall(
        { ...input, profile: 'minimal', values: {} },
        status(['1.23.4']),
      ),
    ).toEqual({
      action: 'upgrade',
      request: {
        action: 'upgrade',
        cluster: 'dev',
        mesh: 'istio',
        toVersion: '1.24.2',
        strategy: 'in-place',
      },
      notes: [
        "'profile', 'values' apply to installs only; the upgrade keeps the installed configuration",
      ],
    });
    expect(
      decideInstall({ ...input, strategy: 'canary' }, status(['1.23.4'])),
    ).toMatchObject({ action: 'upgrade', request: { strategy: 'canary' } });
  });

  it('does nothing when the version runs, also mid-canary', () => {
    expect(decideInstall(input, status(['1.24.2']))).toMatchObject({
      action: 'none',
      installedVersions: ['1.24.2'],
    });
    expect(decideInstall(input, status(['1.23.4', '1.24.2'])).action).toBe(
      'none',
    );
  });

  it('refuses to decide when the status could not be read', () => {
    expect(() =>
      decideInstall(input, status([], 'connect ECONNREFUSED')),
    ).toThrow("Cannot read istio on cluster 'dev': connect ECONNREFUSED");
  });
});
