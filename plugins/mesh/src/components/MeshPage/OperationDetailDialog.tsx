import { useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import Typography from '@mui/material/Typography';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  ACTIVE_OPERATION_STATES,
  meshOperationExecutePermissions,
  meshScopedPermissions,
  type Operation,
} from '@meshstage/plugin-mesh-common';
import { meshApiRef } from '../../api';
import type { FleetPermissionAction } from '../../hooks/useFleetPermissions';
import type { MeshPermissionState } from '../../hooks/useMeshPermission';
import {
  RUN_AGAIN_LABELS,
  runAgainVerbs,
  type RunAgainVerb,
} from '../../lib/runAgain';
import { OperationLog, OperationLogView } from '../shared/OperationLog';
import { RunAgainDialog } from '../shared/RunAgainDialog';
import { OperationCauseText } from './OperationCauseText';

/**
 * Whether Confirm of a resume or revert is disabled, and what the dialog says about it. Without
 * the platform permission an onboard or offboard may still be resumed or reverted by whoever may
 * start it on every entity living in its namespace; the page cannot tell who that is without
 * reading the namespace's pods and the catalog, so it lets the backend decide (a refusal shows
 * its 403 message) and says so.
 */
function runAgainAccess(
  verb: RunAgainVerb,
  permission: MeshPermissionState,
  op: Operation | undefined,
): { disabledReason?: string; description?: string } {
  if (permission.allowed) return {};
  const request = op?.request;
  if (request?.action !== 'onboard' && request?.action !== 'offboard') {
    return { disabledReason: permission.reason };
  }
  if (permission.loading) return {};
  const { action, namespace, cluster } = request;
  return {
    description: `Without ${meshOperationExecutePermissions[verb].name}, whoever may ${action} namespace ${namespace} on ${cluster} (${meshScopedPermissions[action].entity.name} on every entity living in it) may ${verb} this ${action}: the backend decides when you confirm.`,
  };
}

/**
 * One operation: who started it, when, its plan's steps and its step log (live while it runs);
 * an interrupted or failed operation offers Resume and Revert, each through its own plan preview.
 */
export function OperationDetailDialog(props: {
  operationId: string;
  permissions: Record<FleetPermissionAction, MeshPermissionState>;
  onClose: () => void;
  onChanged?: () => void;
  retryDelayMs?: number;
}) {
  const { operationId, permissions, onClose, onChanged } = props;
  const meshApi = useApi(meshApiRef);
  const detail = useAsyncRetry(
    () => meshApi.getOperation(operationId),
    [meshApi, operationId],
  );
  const [next, setNext] = useState<RunAgainVerb | undefined>();

  const op = detail.value?.operation;
  if (next) {
    const access = runAgainAccess(next, permissions[next], op);
    return (
      <RunAgainDialog
        verb={next}
        operationId={operationId}
        description={access.description}
        disabledReason={access.disabledReason}
        retryDelayMs={props.retryDelayMs}
        onStarted={() => onChanged?.()}
        onFinished={() => onChanged?.()}
        onClose={() => {
          setNext(undefined);
          detail.retry();
        }}
      />
    );
  }

  const active = op && ACTIVE_OPERATION_STATES.includes(op.state);
  return (
    <Dialog open onClose={onClose} fullWidth maxWidth="md" scroll="paper">
      <DialogTitle>Operation {operationId}</DialogTitle>
      <DialogContent dividers>
        {detail.loading && !detail.value && <Progress />}
        {detail.error && <ResponseErrorPanel error={detail.error} />}
        {op && detail.value && (
          <>
            <Typography variant="subtitle1" component="h3">
              {op.summary}
            </Typography>
            <Typography
              variant="body2"
              component="dl"
              sx={{
                '& dt': { fontWeight: 'bold' },
                display: 'grid',
                gridTemplateColumns: 'max-content 1fr',
                columnGap: 2,
                '& dd': { m: 0 },
              }}
            >
              <dt>State</dt>
              <dd data-testid="operation-state">{op.state}</dd>
              <dt>Started by</dt>
              <dd>{op.createdBy}</dd>
              {op.cause && (
                <>
                  <dt>Why</dt>
                  <dd>
                    <OperationCauseText operation={op} />
                  </dd>
                </>
              )}
              <dt>Created</dt>
              <dd>{new Date(op.createdAt).toLocaleString()}</dd>
              {op.startedAt && (
                <>
                  <dt>Started</dt>
                  <dd>{new Date(op.startedAt).toLocaleString()}</dd>
                </>
              )}
              {op.finishedAt && (
                <>
                  <dt>Finished</dt>
                  <dd>
                    {new Date(op.finishedAt).toLocaleString()}
                    {op.startedAt &&
                      ` (${Math.round(
                        (Date.parse(op.finishedAt) - Date.parse(op.startedAt)) /
                          1000,
                      )} s)`}
                  </dd>
                </>
              )}
              <dt>Run</dt>
              <dd>{op.run}</dd>
              {op.error && (
                <>
                  <dt>Error</dt>
                  <dd>{op.error}</dd>
                </>
              )}
            </Typography>
            <Typography variant="subtitle2" component="h4" sx={{ mt: 2 }}>
              Plan ({op.plan.steps.length} steps)
            </Typography>
            <Box
              component="ol"
              sx={{ mt: 0, fontFamily: 'monospace', fontSize: '0.8rem' }}
            >
              {op.plan.steps.map((step, i) => (
                <li
                  key={i}
                  aria-current={op.currentStep === i ? 'step' : undefined}
                >
                  {step.type}: {step.description}
                </li>
              ))}
            </Box>
            <Typography variant="subtitle2" component="h4">
              Step log
            </Typography>
            {active ? (
              <OperationLog
                operationId={op.id}
                steps={op.plan.steps.length}
                retryDelayMs={props.retryDelayMs}
                onFinished={() => {
                  detail.retry();
                  onChanged?.();
                }}
              />
            ) : (
              <OperationLogView
                log={detail.value.log}
                final={{
                  state: op.state,
                  error: op.error,
                  currentStep: op.currentStep,
                }}
                steps={op.plan.steps.length}
              />
            )}
          </>
        )}
      </DialogContent>
      <DialogActions>
        {runAgainVerbs(op?.state).map(verb => (
          <Button
            key={verb}
            color={verb === 'revert' ? 'warning' : 'primary'}
            onClick={() => setNext(verb)}
          >
            {RUN_AGAIN_LABELS[verb]}
          </Button>
        ))}
        <Button onClick={onClose}>Close</Button>
      </DialogActions>
    </Dialog>
  );
}
