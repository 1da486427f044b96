import { useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  formatObjectRef,
  type DriftReport,
} from '@meshstage/plugin-mesh-common';
import { meshApiRef } from '../../api';
import { errorMessage } from '../../lib/operationErrors';
import { GuardedButton } from '../shared/GuardedButton';

/** Why Reconcile is disabled on a pair that has not drifted. */
function noDriftReason(report: DriftReport | undefined): string {
  if (!report) return 'Never checked for drift';
  if (report.error) return 'The last drift check failed';
  return 'No drift found at the last check';
}

function show(v: unknown): string {
  if (v === undefined) return '(absent)';
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/**
 * Drift per cluster and mesh: the objects MeshStage applied whose managed fields differ (desired
 * vs live) or that are gone, "Check now", and "Reconcile" through its plan.
 */
export function DriftPanel(props: {
  /** The pairs to offer: every cluster and installed mesh of the grid. */
  targets: { cluster: string; mesh: string }[];
  onReconcile: (target: { cluster: string; mesh: string }) => void;
  reconcileDeniedReason?: string;
}) {
  const meshApi = useApi(meshApiRef);
  const reports = useAsyncRetry(() => meshApi.getDriftReports(), [meshApi]);
  const [checking, setChecking] = useState<string | undefined>();
  const [checkError, setCheckError] = useState<string | undefined>();

  if (reports.loading && !reports.value) return <Progress />;
  if (reports.error)
    return <ResponseErrorPanel error={reports.error} title="Drift" />;
  const stored = reports.value ?? [];
  const pairs = [...props.targets];
  for (const r of stored) {
    if (!pairs.some(p => p.cluster === r.cluster && p.mesh === r.mesh)) {
      pairs.push({ cluster: r.cluster, mesh: r.mesh });
    }
  }
  if (pairs.length === 0) {
    return (
      <Typography variant="body2" color="text.secondary">
        No mesh is installed on any cluster yet, so there is nothing to drift.
      </Typography>
    );
  }

  const check = async (cluster: string, mesh: string) => {
    setChecking(`${cluster}/${mesh}`);
    setCheckError(undefined);
    try {
      await meshApi.checkDrift({ cluster, mesh });
      reports.retry();
    } catch (e) {
      setCheckError(errorMessage(e));
    } finally {
      setChecking(undefined);
    }
  };

  return (
    <Stack spacing={2} data-testid="drift-panel">
      {checkError && <Alert severity="error">{checkError}</Alert>}
      {pairs.map(({ cluster, mesh }) => {
        const report: DriftReport | undefined = stored.find(
          r => r.cluster === cluster && r.mesh === mesh,
        );
        const differing =
          report?.objects.filter(o => o.status !== 'in-sync') ?? [];
        const key = `${cluster}/${mesh}`;
        return (
          <Paper
            key={key}
            variant="outlined"
            sx={{ p: 2 }}
            component="section"
            aria-label={`Drift of ${mesh} on ${cluster}`}
          >
            <Stack
              direction="row"
              spacing={1}
              alignItems="center"
              flexWrap="wrap"
              useFlexGap
            >
              <Typography
                variant="subtitle1"
                component="h3"
                sx={{ mr: 'auto' }}
              >
                {mesh} on {cluster}
              </Typography>
              <Typography variant="body2" color="text.secondary">
                {report
                  ? `Checked ${new Date(report.checkedAt).toLocaleString()}`
                  : 'Never checked'}
              </Typography>
              <Button
                size="small"
                variant="outlined"
                disabled={checking === key}
                onClick={() => check(cluster, mesh)}
              >
                {checking === key ? 'Checking…' : 'Check now'}
              </Button>
              <GuardedButton
                size="small"
                variant="outlined"
                disabledReason={
                  props.reconcileDeniedReason ??
                  (report?.drifted ? undefined : noDriftReason(report))
                }
                onClick={() => props.onReconcile({ cluster, mesh })}
              >
                Reconcile
              </GuardedButton>
            </Stack>
            {report?.error && <Alert severity="error">{report.error}</Alert>}
            {report && !report.error && differing.length === 0 && (
              <Typography variant="body2">
                In sync: {report.objects.length} applied object
                {report.objects.length === 1 ? '' : 's'} match.
              </Typography>
            )}
            {differing.length > 0 && (
              <Table
                size="small"
                aria-label={`Differences of ${mesh} on ${cluster}`}
              >
                <TableHead>
                  <TableRow>
                    <TableCell>Object</TableCell>
                    <TableCell>Status</TableCell>
                    <TableCell>Field</TableCell>
                    <TableCell>Desired</TableCell>
                    <TableCell>Live</TableCell>
                  </TableRow>
                </TableHead>
                <TableBody>
                  {differing.flatMap(o =>
                    (o.differences.length ? o.differences : [undefined]).map(
                      (d, i) => (
                        <TableRow key={`${formatObjectRef(o.ref)}-${i}`}>
                          <TableCell>
                            {i === 0 ? formatObjectRef(o.ref) : ''}
                          </TableCell>
                          <TableCell>{i === 0 ? o.status : ''}</TableCell>
                          <TableCell sx={{ fontFamily: 'monospace' }}>
                            {d?.path ?? '—'}
                          </TableCell>
                          <TableCell sx={{ fontFamily: 'monospace' }}>
                            {d ? show(d.desired) : '—'}
                          </TableCell>
                          <TableCell sx={{ fontFamily: 'monospace' }}>
                            {d ? show(d.live) : '(deleted)'}
                          </TableCell>
                        </TableRow>
                      ),
                    ),
                  )}
                </TableBody>
              </Table>
            )}
          </Paper>
        );
      })}
    </Stack>
  );
}
