import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusRunning,
  StatusWarning,
} from '@backstage/core-components';
import type {
  FleetCell,
  FleetCluster,
  FleetSummary,
  MeshAdapterInfo,
} from '@meshstage/plugin-mesh-common';
import {
  ACTION_LABELS,
  actionUnavailable,
  FLEET_ACTIONS,
  type FleetAction,
} from '../../lib/fleetActions';
import { cellHealth, coverageLabel } from '../../lib/fleetGrid';
import { GuardedButton, visuallyHidden } from '../shared/GuardedButton';
import type { FleetPermissionAction } from '../../hooks/useFleetPermissions';
import type { MeshPermissionState } from '../../hooks/useMeshPermission';

const healthIcon = {
  ok: StatusOK,
  warning: StatusWarning,
  error: StatusError,
  absent: StatusAborted,
  running: StatusRunning,
};

/** Words stay whole (table cells otherwise break them anywhere, e.g. "Clust|er"). */
const keepWords = { wordBreak: 'normal', overflowWrap: 'normal' } as const;

/** Reasons that mean "not applicable here": the button is left out rather than disabled. */
const notApplicable = (reason: string | undefined) =>
  !!reason &&
  /^(Already installed|Not installed|The adapter offers no|No drift|Never checked)/.test(
    reason,
  );

function driftLabel(drift: NonNullable<FleetCell['drift']>): string {
  if (drift.error) return `Drift check failed: ${drift.error}`;
  if (drift.drifted) {
    return `Drifted (${drift.modified} modified, ${drift.missing} missing)`;
  }
  return 'In sync';
}

const time = (iso: string) => new Date(iso).toLocaleString();

/** Props of {@link FleetGrid}. */
export interface FleetGridProps {
  fleet: FleetSummary;
  adapters: MeshAdapterInfo[];
  permissions: Record<FleetPermissionAction, MeshPermissionState>;
  onAction: (action: FleetAction, cell: FleetCell) => void;
  /** Opens an operation (its log and plan) by id. */
  onOpenOperation?: (id: string) => void;
}

function CellView(
  props: {
    cluster: FleetCluster;
    cell: FleetCell;
    adapter?: MeshAdapterInfo;
  } & Pick<FleetGridProps, 'permissions' | 'onAction' | 'onOpenOperation'>,
) {
  const { cluster, cell, adapter, permissions, onAction, onOpenOperation } =
    props;
  const { health, label, problems } = cellHealth(cell);
  const Icon = healthIcon[health];
  const coverage = coverageLabel(cell);
  const healthy = cell.components.filter(c => c.healthy).length;
  return (
    <TableCell
      data-testid={`fleet-cell-${cluster.name}-${cell.mesh}`}
      data-installed={cell.installed}
      sx={{ verticalAlign: 'top', minWidth: 260 }}
    >
      <Stack spacing={0.5}>
        <Typography variant="body2" component="div" fontWeight="bold">
          <Icon>{label}</Icon>
        </Typography>
        {cell.installed && (
          <Typography variant="body2" data-testid="fleet-cell-versions">
            {cell.versions.length
              ? cell.versions.join(', ')
              : 'version unknown'}
          </Typography>
        )}
        {cell.revisions.length > 0 && (
          <Typography variant="caption" color="text.secondary">
            Revisions: {cell.revisions.join(', ')}
          </Typography>
        )}
        {(cell.revisionTags ?? []).length > 0 && (
          <Stack direction="row" spacing={0.5} flexWrap="wrap" useFlexGap>
            {cell.revisionTags!.map(t => (
              <Chip
                key={t.tag}
                size="small"
                variant="outlined"
                label={`${t.tag} → ${t.revision}`}
              />
            ))}
          </Stack>
        )}
        {cell.components.length > 0 && (
          <Typography variant="caption">
            Components: {healthy}/{cell.components.length} healthy
          </Typography>
        )}
        {coverage && <Typography variant="caption">{coverage}</Typography>}
        {cell.coverage.outdatedProxies > 0 && (
          <Typography variant="caption" color="warning.main">
            {cell.coverage.outdatedProxies} outdated proxies
          </Typography>
        )}
        {cell.mtls && (
          <Typography variant="caption">mTLS: {cell.mtls.mode}</Typography>
        )}
        {cell.drift && (
          <Typography
            variant="caption"
            color={cell.drift.drifted ? 'warning.main' : 'text.secondary'}
          >
            {driftLabel(cell.drift)} · checked {time(cell.drift.checkedAt)}
          </Typography>
        )}
        {(cell.conflicts ?? []).map((c, i) => (
          <Typography key={i} variant="caption" color="error.main">
            Conflict: {c.message}
          </Typography>
        ))}
        {cell.error && (
          <Typography variant="caption" color="error.main" role="note">
            {cell.error}
          </Typography>
        )}
        {cell.activeOperation && (
          <Typography variant="caption" component="div">
            Running: {cell.activeOperation.summary}{' '}
            {onOpenOperation && (
              <Button
                size="small"
                onClick={() => onOpenOperation(cell.activeOperation!.id)}
              >
                Show log
              </Button>
            )}
          </Typography>
        )}
        {(cell.interruptedOperations ?? []).map(op => (
          <Typography
            key={op.id}
            variant="caption"
            component="div"
            color="warning.main"
          >
            Interrupted: {op.summary}{' '}
            {onOpenOperation && (
              <Button size="small" onClick={() => onOpenOperation(op.id)}>
                Resume or revert
              </Button>
            )}
          </Typography>
        ))}
        {problems.length > 0 && health !== 'error' && (
          <Box component="span" sx={visuallyHidden}>
            {problems.join('; ')}
          </Box>
        )}
        <Stack
          direction="row"
          spacing={0.5}
          useFlexGap
          flexWrap="wrap"
          sx={{ pt: 0.5 }}
          role="group"
          aria-label={`Actions for ${cell.mesh} on ${cluster.name}`}
        >
          {FLEET_ACTIONS.map(action => {
            const unavailable = actionUnavailable(
              action,
              cluster,
              cell,
              adapter,
            );
            if (notApplicable(unavailable)) return null;
            if (!cluster.reachable && action !== 'install') return null;
            const denied = permissions[action];
            const reason =
              unavailable ?? (denied.allowed ? undefined : denied.reason);
            return (
              <GuardedButton
                key={action}
                size="small"
                variant="outlined"
                disabledReason={reason}
                onClick={() => onAction(action, cell)}
              >
                {ACTION_LABELS[action]}
              </GuardedButton>
            );
          })}
        </Stack>
      </Stack>
    </TableCell>
  );
}

/**
 * Clusters by meshes: each cell shows whether the mesh is installed, its versions, revisions and
 * tags, component health, data-plane coverage, mTLS, drift, conflicts and the lifecycle actions.
 * Unreachable clusters stay in the grid with their error. Test id `fleet-grid`.
 */
export function FleetGrid(props: FleetGridProps) {
  const { fleet, adapters } = props;
  const adapterOf = (id: string) => adapters.find(a => a.id === id);
  return (
    <TableContainer component={Paper} variant="outlined">
      <Table
        data-testid="fleet-grid"
        aria-label="Mesh fleet: clusters by meshes"
        size="small"
      >
        <TableHead>
          <TableRow>
            <TableCell component="th" scope="col" sx={keepWords}>
              Cluster
            </TableCell>
            {fleet.meshes.map(mesh => (
              <TableCell key={mesh} component="th" scope="col">
                {adapterOf(mesh)?.displayName ?? mesh}
              </TableCell>
            ))}
          </TableRow>
        </TableHead>
        <TableBody>
          {fleet.clusters.map(cluster => (
            <TableRow
              key={cluster.name}
              data-testid={`fleet-row-${cluster.name}`}
            >
              <TableCell
                component="th"
                scope="row"
                sx={{ ...keepWords, verticalAlign: 'top', minWidth: 140 }}
              >
                <Typography variant="subtitle2">
                  {cluster.title ?? cluster.name}
                </Typography>
                {cluster.reachable ? (
                  <Typography
                    variant="caption"
                    component="div"
                    color="text.secondary"
                  >
                    {cluster.serverVersion ?? 'reachable'}
                  </Typography>
                ) : (
                  <Typography
                    variant="caption"
                    component="div"
                    color="error.main"
                    role="alert"
                  >
                    <StatusError>Unreachable</StatusError> {cluster.error}
                  </Typography>
                )}
                {cluster.findings && (
                  <Typography
                    variant="caption"
                    component="div"
                    color={
                      cluster.findings.error ? 'error.main' : 'text.secondary'
                    }
                  >
                    {cluster.findings.error} error finding
                    {cluster.findings.error === 1 ? '' : 's'},{' '}
                    {cluster.findings.warning} warning
                    {cluster.findings.warning === 1 ? '' : 's'}
                  </Typography>
                )}
              </TableCell>
              {fleet.meshes.map(mesh => {
                const cell = cluster.meshes.find(c => c.mesh === mesh);
                return cell ? (
                  <CellView
                    key={mesh}
                    cluster={cluster}
                    cell={cell}
                    adapter={adapterOf(mesh)}
                    permissions={props.permissions}
                    onAction={props.onAction}
                    onOpenOperation={props.onOpenOperation}
                  />
                ) : (
                  <TableCell key={mesh}>—</TableCell>
                );
              })}
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </TableContainer>
  );
}
