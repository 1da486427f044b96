import type {
  FleetCell,
  FleetCluster,
  LifecycleRequest,
  MeshAdapterInfo,
} from '@meshstage/plugin-mesh-common';
import { parseValues } from './yamlValues';

/** The lifecycle actions the fleet page offers from a cell. */
export type FleetAction =
  | 'install'
  | 'upgrade'
  | 'rollback'
  | 'uninstall'
  | 'onboard'
  | 'offboard'
  | 'deploy-sample'
  | 'remove-sample'
  | 'reconcile';

/** Button labels; the browser suite finds "Install", "Upgrade", "Rollback", "Uninstall". */
export const ACTION_LABELS: Record<FleetAction, string> = {
  install: 'Install',
  upgrade: 'Upgrade',
  rollback: 'Rollback',
  uninstall: 'Uninstall',
  onboard: 'Onboard namespace',
  offboard: 'Offboard namespace',
  'deploy-sample': 'Deploy sample',
  'remove-sample': 'Remove sample',
  reconcile: 'Reconcile drift',
};

/** Every action in the order the cell shows them. */
export const FLEET_ACTIONS: FleetAction[] = [
  'install',
  'upgrade',
  'rollback',
  'uninstall',
  'onboard',
  'offboard',
  'deploy-sample',
  'remove-sample',
  'reconcile',
];

/** What the forms collect; each action reads its own fields. */
export interface ActionForm {
  version: string;
  profile: string;
  valuesText: string;
  revision: string;
  strategy: 'canary' | 'in-place';
  namespace: string;
  sample: string;
  /** Comma-separated Istio revision tags. */
  revisionTags: string;
}

export function emptyActionForm(
  action: FleetAction,
  cell: FleetCell,
  adapter?: MeshAdapterInfo,
): ActionForm {
  const versions = adapter?.supportedVersions ?? [];
  const newest = versions[versions.length - 1] ?? '';
  const newer = versions.filter(v => !cell.versions.includes(v));
  return {
    version: action === 'upgrade' ? newer[newer.length - 1] ?? newest : newest,
    profile: '',
    valuesText: '',
    revision: '',
    strategy: cell.mesh === 'istio' ? 'canary' : 'in-place',
    namespace: '',
    sample: adapter?.sampleApps[0]?.id ?? '',
    revisionTags: '',
  };
}

/**
 * Why an action cannot be offered on a cell now (undefined when it can): the cluster cannot be
 * reached, the adapter plans no lifecycle, the mesh is (not) installed, or an operation holds the
 * pair: one in progress, or an interrupted one (it keeps the pair locked until it is resumed or
 * reverted). Reasons of the first kinds come first, so a cell leaves out what does not apply.
 */
export function actionUnavailable(
  action: FleetAction,
  cluster: FleetCluster,
  cell: FleetCell,
  adapter?: MeshAdapterInfo,
): string | undefined {
  if (!cluster.reachable) return `Cluster ${cluster.name} is unreachable`;
  if (adapter && !adapter.lifecycle) {
    return `The ${adapter.displayName} adapter does not plan lifecycle operations`;
  }
  const notApplicable = applicability(action, cell, adapter);
  if (notApplicable) return notApplicable;
  if (cell.activeOperation) {
    return `Operation ${cell.activeOperation.id} (${cell.activeOperation.summary}) is ${cell.activeOperation.state}`;
  }
  const interrupted = cell.interruptedOperations?.[0];
  if (interrupted) {
    return `Operation ${interrupted.id} (${interrupted.summary}) was interrupted: resume or revert it first`;
  }
  return undefined;
}

/** Whether the action applies to the cell at all (undefined when it does). */
function applicability(
  action: FleetAction,
  cell: FleetCell,
  adapter?: MeshAdapterInfo,
): string | undefined {
  if (action === 'install') {
    return cell.installed ? 'Already installed' : undefined;
  }
  // Nothing to roll back on a pair without the mesh (undoing an uninstall is an install), and
  // reconcile may restore objects deleted out of band.
  if (!cell.installed && action !== 'reconcile') {
    return 'Not installed';
  }
  if (
    (action === 'deploy-sample' || action === 'remove-sample') &&
    adapter &&
    adapter.sampleApps.length === 0
  ) {
    return 'The adapter offers no sample applications';
  }
  if (action === 'reconcile' && !cell.drift?.drifted) {
    return cell.drift
      ? 'No drift found at the last check'
      : 'Never checked for drift';
  }
  return undefined;
}

const dns1123 = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** The request a form describes, or the errors per field. Pure. */
export function buildRequest(
  action: FleetAction,
  cell: { cluster: string; mesh: string },
  form: ActionForm,
):
  | { ok: true; request: LifecycleRequest }
  | { ok: false; errors: Partial<Record<keyof ActionForm, string>> } {
  const base = { cluster: cell.cluster, mesh: cell.mesh };
  const errors: Partial<Record<keyof ActionForm, string>> = {};
  const tags = form.revisionTags
    .split(',')
    .map(t => t.trim())
    .filter(Boolean);
  for (const t of tags) {
    if (!dns1123.test(t)) {
      errors.revisionTags = `"${t}" is not a valid tag (lowercase letters, digits and -)`;
    }
  }
  switch (action) {
    case 'install': {
      if (!form.version) errors.version = 'Pick a version';
      const parsed = parseValues(form.valuesText);
      if (!parsed.ok) errors.valuesText = parsed.error;
      if (form.revision && !dns1123.test(form.revision)) {
        errors.revision =
          'A revision is lowercase letters, digits and - (e.g. 1-30-3)';
      }
      if (Object.keys(errors).length) return { ok: false, errors };
      return {
        ok: true,
        request: {
          ...base,
          action,
          version: form.version,
          ...(form.profile ? { profile: form.profile } : {}),
          ...(parsed.ok && parsed.values ? { values: parsed.values } : {}),
          ...(form.revision ? { revision: form.revision } : {}),
          ...(tags.length ? { revisionTags: tags } : {}),
        },
      };
    }
    case 'upgrade':
      if (!form.version) errors.version = 'Pick a version';
      if (Object.keys(errors).length) return { ok: false, errors };
      return {
        ok: true,
        request: {
          ...base,
          action,
          toVersion: form.version,
          strategy: form.strategy,
          ...(tags.length && form.strategy === 'canary'
            ? { revisionTags: tags }
            : {}),
        },
      };
    case 'onboard':
    case 'offboard':
      if (!dns1123.test(form.namespace)) {
        errors.namespace =
          'Enter a namespace name (lowercase letters, digits and -)';
        return { ok: false, errors };
      }
      return {
        ok: true,
        request: { ...base, action, namespace: form.namespace },
      };
    case 'deploy-sample':
    case 'remove-sample':
      if (!form.sample) errors.sample = 'Pick a sample application';
      if (form.namespace && !dns1123.test(form.namespace)) {
        errors.namespace = 'Lowercase letters, digits and -';
      }
      if (Object.keys(errors).length) return { ok: false, errors };
      return {
        ok: true,
        request: {
          ...base,
          action,
          sample: form.sample,
          ...(form.namespace ? { namespace: form.namespace } : {}),
        },
      };
    case 'uninstall':
      return {
        ok: true,
        request: {
          ...base,
          action,
          ...(form.revision ? { revision: form.revision } : {}),
        },
      };
    case 'rollback':
    case 'reconcile':
    default:
      return { ok: true, request: { ...base, action } as LifecycleRequest };
  }
}

/** Whether an action needs a form before its plan (others go straight to the plan). */
export function needsForm(action: FleetAction): boolean {
  return !['rollback', 'reconcile'].includes(action);
}
