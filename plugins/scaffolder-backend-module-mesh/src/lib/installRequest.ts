import { InputError } from '@backstage/errors';
import type {
  InstallRequest,
  MeshStatus,
  UpgradeRequest,
} from '@meshstage/plugin-mesh-common';

/** What `mesh:install` was asked for. */
export interface InstallInput {
  cluster: string;
  mesh: string;
  version: string;
  profile?: string;
  values?: Record<string, unknown>;
  revision?: string;
  strategy?: 'canary' | 'in-place';
}

/**
 * What `mesh:install` does on a cluster: `install` when the mesh is not there, `upgrade` to the
 * version when another one runs, `none` when the version asked for already runs.
 */
export type InstallDecision =
  | { action: 'install'; request: InstallRequest; notes: string[] }
  | { action: 'upgrade'; request: UpgradeRequest; notes: string[] }
  | { action: 'none'; installedVersions: string[]; notes: string[] };

/**
 * Chooses between installing and upgrading from the mesh's status on the cluster, as the mesh
 * backend wants it: an `install` request for a mesh it does not detect, an `upgrade` (with
 * `toVersion` and a strategy, `in-place` unless told otherwise) for one it does. Settings that
 * only an install takes (profile, values, revision) are reported in `notes` when an upgrade
 * leaves them out, never dropped silently. Pure.
 */
export function decideInstall(
  input: InstallInput,
  status: MeshStatus,
): InstallDecision {
  if (status.error) {
    throw new InputError(
      `Cannot read ${input.mesh} on cluster '${input.cluster}': ${status.error}`,
    );
  }
  const { cluster, mesh, version } = input;
  if (!status.installed) {
    return {
      action: 'install',
      request: {
        action: 'install',
        cluster,
        mesh,
        version,
        ...(input.profile ? { profile: input.profile } : {}),
        ...(input.values ? { values: input.values } : {}),
        ...(input.revision ? { revision: input.revision } : {}),
      },
      // No note for `strategy`: forms offer it for the upgrade case, with a default.
      notes: [],
    };
  }
  const ignored = (['profile', 'values', 'revision'] as const).filter(
    k => input[k] !== undefined,
  );
  const notes = ignored.length
    ? [
        `${ignored
          .map(k => `'${k}'`)
          .join(
            ', ',
          )} apply to installs only; the upgrade keeps the installed configuration`,
      ]
    : [];
  if (status.versions.includes(version)) {
    return {
      action: 'none',
      installedVersions: status.versions,
      notes,
    };
  }
  return {
    action: 'upgrade',
    request: {
      action: 'upgrade',
      cluster,
      mesh,
      toVersion: version,
      strategy: input.strategy ?? 'in-place',
    },
    notes,
  };
}
