import { useMemo, useState } from 'react';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useApi } from '@backstage/core-plugin-api';
import type {
  FleetCell,
  LifecycleRequest,
  MeshAdapterInfo,
} from '@meshstage/plugin-mesh-common';
import { meshApiRef } from '../../api';
import {
  ACTION_LABELS,
  type ActionForm,
  buildRequest,
  emptyActionForm,
  type FleetAction,
  needsForm,
} from '../../lib/fleetActions';
import { OperationDialog } from '../shared/OperationDialog';

/** Props of {@link ActionDialog}. */
export interface ActionDialogProps {
  action: FleetAction;
  cell: FleetCell;
  adapter?: MeshAdapterInfo;
  /** Set when the user may not execute the action: the plan is still shown, Confirm is not. */
  deniedReason?: string;
  onClose: () => void;
  /** An operation was started or finished: the grid refreshes. */
  onChanged?: () => void;
  retryDelayMs?: number;
}

/**
 * One lifecycle action of a fleet cell in three steps: the form (version, profile, values as
 * YAML checked here, namespace, sample…), the plan as the backend's dry-run diff with explicit
 * confirmation (typing the cluster name for an uninstall), then the live step log.
 */
export function ActionDialog(props: ActionDialogProps) {
  const { action, cell, adapter, deniedReason, onClose, onChanged } = props;
  const meshApi = useApi(meshApiRef);
  const [form, setForm] = useState<ActionForm>(() =>
    emptyActionForm(action, cell, adapter),
  );
  const [errors, setErrors] = useState<
    Partial<Record<keyof ActionForm, string>>
  >({});
  const [request, setRequest] = useState<LifecycleRequest | undefined>(() => {
    if (needsForm(action)) return undefined;
    const built = buildRequest(
      action,
      cell,
      emptyActionForm(action, cell, adapter),
    );
    return built.ok ? built.request : undefined;
  });
  const [typed, setTyped] = useState('');
  const title = `${ACTION_LABELS[action]}: ${
    adapter?.displayName ?? cell.mesh
  } on ${cell.cluster}`;
  const set = (patch: Partial<ActionForm>) =>
    setForm(f => ({ ...f, ...patch }));

  const next = () => {
    const built = buildRequest(action, cell, form);
    if (!built.ok) {
      setErrors(built.errors);
      return;
    }
    setErrors({});
    setRequest(built.request);
  };

  const versions = useMemo(() => adapter?.supportedVersions ?? [], [adapter]);
  const confirmMismatch =
    action === 'uninstall' && typed !== cell.cluster
      ? `Type the cluster name (${cell.cluster}) to confirm the uninstall.`
      : undefined;

  if (request) {
    return (
      <OperationDialog
        open
        title={title}
        retryDelayMs={props.retryDelayMs}
        preview={() => meshApi.previewOperation(request)}
        start={() => meshApi.createOperation(request)}
        onClose={onClose}
        onStarted={() => onChanged?.()}
        onFinished={() => onChanged?.()}
        disabledReason={deniedReason ?? confirmMismatch}
        description={
          action === 'uninstall' ? (
            <Stack spacing={1}>
              <Alert severity="warning">
                This removes {adapter?.displayName ?? cell.mesh}
                {'revision' in request && request.revision
                  ? ` revision ${request.revision}`
                  : ''}{' '}
                from cluster {cell.cluster}. Workloads lose their proxies when
                they restart.
              </Alert>
              <TextField
                label={`Type ${cell.cluster} to confirm`}
                value={typed}
                onChange={e => setTyped(e.target.value)}
                size="small"
                autoComplete="off"
                inputProps={{ 'data-testid': 'confirm-cluster-name' }}
              />
            </Stack>
          ) : (
            'Review the plan (a dry run against the live cluster); nothing changes until you confirm.'
          )
        }
      />
    );
  }

  const field = (
    key: keyof ActionForm,
    label: string,
    extra: Partial<React.ComponentProps<typeof TextField>> = {},
  ) => (
    <TextField
      {...extra}
      label={label}
      value={form[key]}
      onChange={e => set({ [key]: e.target.value } as Partial<ActionForm>)}
      error={!!errors[key]}
      helperText={errors[key] ?? extra.helperText}
      fullWidth
      size="small"
    />
  );

  return (
    <Dialog open onClose={onClose} fullWidth maxWidth="sm">
      <DialogTitle>{title}</DialogTitle>
      <DialogContent dividers>
        <Stack
          spacing={2}
          component="form"
          aria-label={`${ACTION_LABELS[action]} form`}
          onSubmit={e => {
            e.preventDefault();
            next();
          }}
        >
          {(action === 'install' || action === 'upgrade') && (
            <>
              {field(
                'version',
                action === 'upgrade' ? 'To version' : 'Version',
                {
                  select: true,
                  children: versions.map(v => (
                    <MenuItem key={v} value={v}>
                      {v}
                      {cell.versions.includes(v) ? ' (installed)' : ''}
                    </MenuItem>
                  )),
                  helperText: versions.length
                    ? 'The versions the adapter can install'
                    : 'The adapter lists no versions',
                },
              )}
            </>
          )}
          {action === 'install' && (
            <>
              {field('profile', 'Profile', {
                helperText:
                  'Mesh-specific profile, e.g. default or minimal (optional)',
              })}
              {cell.mesh === 'istio' &&
                field('revision', 'Revision', {
                  helperText:
                    'Install as a named revision, e.g. 1-30-3 (optional)',
                })}
              {field('valuesText', 'Values (YAML)', {
                multiline: true,
                minRows: 4,
                inputProps: {
                  spellCheck: false,
                  style: { fontFamily: 'monospace' },
                },
                helperText: 'Merged into the rendered configuration (optional)',
              })}
            </>
          )}
          {action === 'upgrade' &&
            field('strategy', 'Strategy', {
              select: true,
              children: [
                <MenuItem key="canary" value="canary">
                  Canary (new control plane beside the old one)
                </MenuItem>,
                <MenuItem key="in-place" value="in-place">
                  In place (replace, then restart workloads)
                </MenuItem>,
              ],
            })}
          {cell.mesh === 'istio' &&
            (action === 'install' ||
              (action === 'upgrade' && form.strategy === 'canary')) &&
            field('revisionTags', 'Revision tags', {
              helperText:
                'Comma-separated, e.g. default, prod-stable (optional)',
            })}
          {(action === 'onboard' || action === 'offboard') &&
            field('namespace', 'Namespace', {
              select: cell.namespaces.length > 0 && action === 'offboard',
              children:
                action === 'offboard'
                  ? cell.namespaces.map(ns => (
                      <MenuItem key={ns.name} value={ns.name}>
                        {ns.name}
                      </MenuItem>
                    ))
                  : undefined,
            })}
          {(action === 'deploy-sample' || action === 'remove-sample') && (
            <>
              {field('sample', 'Sample application', {
                select: true,
                children: (adapter?.sampleApps ?? []).map(s => (
                  <MenuItem key={s.id} value={s.id}>
                    {s.displayName}
                  </MenuItem>
                )),
              })}
              {field('namespace', 'Namespace', {
                helperText: 'Defaults to the sample’s own namespace',
              })}
            </>
          )}
          {action === 'uninstall' &&
            cell.revisions.length > 1 &&
            field('revision', 'Revision', {
              select: true,
              children: [
                <MenuItem key="" value="">
                  All revisions
                </MenuItem>,
                ...cell.revisions.map(r => (
                  <MenuItem key={r} value={r}>
                    {r}
                  </MenuItem>
                )),
              ],
            })}
          {action === 'uninstall' && cell.revisions.length <= 1 && (
            <Typography variant="body2">
              Uninstalls the whole control plane. The next step shows the plan.
            </Typography>
          )}
          {/* Enter submits the form. */}
          <button type="submit" hidden aria-hidden="true" tabIndex={-1} />
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Cancel</Button>
        <Button variant="contained" color="primary" onClick={next}>
          Preview plan
        </Button>
      </DialogActions>
    </Dialog>
  );
}
