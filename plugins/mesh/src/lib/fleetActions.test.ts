import type {
  FleetCell,
  FleetCluster,
  MeshAdapterInfo,
} from '@meshstage/plugin-mesh-common';
import {
  actionUnavailable,
  buildRequest,
  emptyActionForm,
  FLEET_ACTIONS,
  type FleetAction,
} from './fleetActions';

const cluster: FleetCluster = {
  name: 'dev',
  url: 'http://127.0.0.1:6443',
  reachable: true,
  meshes: [],
};

function cell(extra: Partial<FleetCell> = {}): FleetCell {
  return {
    mesh: 'istio',
    cluster: 'dev',
    installed: true,
    versions: ['1.29.6'],
    revisions: ['1-29-6'],
    components: [],
    namespaces: [],
    coverage: { pods: 4, meshedPods: 4, outdatedProxies: 0 },
    ...extra,
  };
}

const istio: MeshAdapterInfo = {
  id: 'istio',
  displayName: 'Istio',
  supportedVersions: ['1.29.6', '1.30.3'],
  lifecycle: true,
  sampleApps: [{ id: 'bookinfo', displayName: 'Bookinfo' } as never],
};

const offered = (c: FleetCell, adapter = istio) =>
  FLEET_ACTIONS.filter(a => !actionUnavailable(a, cluster, c, adapter));

describe('actionUnavailable', () => {
  it('offers install only where the mesh is not installed, and nothing else there but reconcile', () => {
    const absent = cell({ installed: false, versions: [], revisions: [] });
    expect(offered(absent)).toEqual(['install']);
    expect(actionUnavailable('rollback', cluster, absent, istio)).toBe(
      'Not installed',
    );
    expect(
      actionUnavailable(
        'reconcile',
        cluster,
        {
          ...absent,
          drift: { checkedAt: 'x', drifted: true, modified: 0, missing: 3 },
        },
        istio,
      ),
    ).toBeUndefined();
  });

  it('offers the lifecycle of an installed mesh, reconcile only after drift was found', () => {
    expect(offered(cell())).toEqual([
      'upgrade',
      'rollback',
      'uninstall',
      'onboard',
      'offboard',
      'deploy-sample',
      'remove-sample',
    ]);
    expect(actionUnavailable('reconcile', cluster, cell(), istio)).toBe(
      'Never checked for drift',
    );
  });

  it('says which operation holds the pair, and that an unreachable cluster cannot be changed', () => {
    const busy = cell({
      activeOperation: {
        id: 'op-7',
        action: 'upgrade',
        state: 'running',
        summary: 'Upgrade istio',
        createdBy: 'user:default/guest',
        createdAt: '2026-12-02T00:00:00Z',
      },
    });
    expect(actionUnavailable('uninstall', cluster, busy, istio)).toBe(
      'Operation op-7 (Upgrade istio) is running',
    );
    expect(
      actionUnavailable(
        'install',
        { ...cluster, reachable: false },
        cell(),
        istio,
      ),
    ).toBe('Cluster dev is unreachable');
  });

  it('keeps a pair with an interrupted operation locked, offering only what applies', () => {
    const interrupted = {
      id: 'op-8',
      action: 'install' as const,
      state: 'interrupted' as const,
      summary: 'Install Linkerd edge-26.8.3 on dev',
      createdBy: 'user:default/guest',
      createdAt: '2026-12-02T00:00:00Z',
    };
    const absent = cell({
      installed: false,
      versions: [],
      revisions: [],
      interruptedOperations: [interrupted],
    });
    expect(offered(absent)).toEqual([]);
    expect(actionUnavailable('install', cluster, absent, istio)).toBe(
      'Operation op-8 (Install Linkerd edge-26.8.3 on dev) was interrupted: resume or revert it first',
    );
    // What does not apply keeps its own reason (the cell leaves it out).
    expect(actionUnavailable('upgrade', cluster, absent, istio)).toBe(
      'Not installed',
    );
    expect(
      actionUnavailable(
        'upgrade',
        cluster,
        cell({ interruptedOperations: [interrupted] }),
        istio,
      ),
    ).toMatch(/^Operation op-8 .* was interrupted/);
  });

  it('leaves out sample actions for an adapter without samples', () => {
    expect(
      actionUnavailable('deploy-sample', cluster, cell(), {
        ...istio,
        sampleApps: [],
      }),
    ).toBe('The adapter offers no sample applications');
  });
});

describe('buildRequest', () => {
  const form = (action: FleetAction, c = cell()) =>
    emptyActionForm(action, c, istio);

  it('defaults an upgrade to the newest version not yet installed', () => {
    const built = buildRequest('upgrade', cell(), form('upgrade'));
    expect(built).toEqual({
      ok: true,
      request: {
        cluster: 'dev',
        mesh: 'istio',
        action: 'upgrade',
        toVersion: '1.30.3',
        strategy: 'canary',
      },
    });
  });

  it('names the field of each bad input', () => {
    expect(
      buildRequest('install', cell({ installed: false }), {
        ...form('install'),
        valuesText: 'a: [',
        revision: 'Bad_Rev',
        revisionTags: 'prod-stable, NOPE',
      }),
    ).toMatchObject({
      ok: false,
      errors: {
        valuesText: expect.any(String),
        revision: 'A revision is lowercase letters, digits and - (e.g. 1-30-3)',
        revisionTags:
          '"NOPE" is not a valid tag (lowercase letters, digits and -)',
      },
    });
    expect(
      buildRequest('onboard', cell(), { ...form('onboard'), namespace: '' }),
    ).toEqual({
      ok: false,
      errors: {
        namespace: 'Enter a namespace name (lowercase letters, digits and -)',
      },
    });
  });

  it('carries install values parsed from YAML', () => {
    expect(
      buildRequest('install', cell({ installed: false }), {
        ...form('install'),
        valuesText: 'pilot:\n  replicaCount: 2\n',
        revisionTags: 'default',
      }),
    ).toEqual({
      ok: true,
      request: {
        cluster: 'dev',
        mesh: 'istio',
        action: 'install',
        version: '1.30.3',
        values: { pilot: { replicaCount: 2 } },
        revisionTags: ['default'],
      },
    });
  });
});
