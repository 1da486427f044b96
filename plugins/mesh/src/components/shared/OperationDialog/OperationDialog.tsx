import { ReactNode, useEffect, useRef, useState } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import Typography from '@mui/material/Typography';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import type {
  Operation,
  OperationFinalStateEvent,
  PlanPreview as PlanPreviewData,
} from '@meshstage/plugin-mesh-common';
import {
  errorMessage,
  operationConflict,
  type OperationConflict,
} from '../../../lib/operationErrors';
import { PlanPreview } from '../PlanPreview';
import { OperationLog } from '../OperationLog';

/** Props of {@link OperationDialog}. */
export interface OperationDialogProps {
  open: boolean;
  /** The dialog's title (its accessible name), e.g. `Onboard bookinfo to istio on dev`. */
  title: string;
  /** What the operation does and what to check, above the plan; hidden once it has started (the log takes its place). */
  description?: ReactNode;
  /** The dry run, called each time the dialog opens: e.g. `() => api.previewOperation(request)`. */
  preview: () => Promise<PlanPreviewData>;
  /** Starts the operation after confirmation: e.g. `() => api.createOperation(request)`. */
  start: () => Promise<Operation>;
  onClose: () => void;
  /** The operation was accepted (202). */
  onStarted?: (operation: Operation) => void;
  /** The started operation reached its final state. */
  onFinished?: (operation: Operation, final: OperationFinalStateEvent) => void;
  /** Label of the confirm button. Default `Confirm`. */
  confirmLabel?: string;
  /** When set, confirming is disabled and this says why (e.g. a missing permission). */
  disabledReason?: string;
  /** Passed to the log's stream: wait before reconnecting. */
  retryDelayMs?: number;
}

type PlanState =
  | { status: 'loading' }
  | { status: 'ready'; preview: PlanPreviewData }
  | { status: 'error'; error: Error };

type RunState =
  | { status: 'idle' }
  | { status: 'starting' }
  | {
      status: 'started';
      operation: Operation;
      final?: OperationFinalStateEvent;
    }
  | { status: 'conflict'; conflict: OperationConflict; following?: boolean }
  | { status: 'error'; error: Error };

function OperationDialogBody(props: OperationDialogProps) {
  const {
    title,
    description,
    onClose,
    confirmLabel = 'Confirm',
    disabledReason,
    retryDelayMs,
  } = props;
  const [plan, setPlan] = useState<PlanState>({ status: 'loading' });
  const [run, setRun] = useState<RunState>({ status: 'idle' });
  // The callbacks of the props that opened the dialog: the body lives while it is open.
  const callbacks = useRef(props);
  callbacks.current = props;

  useEffect(() => {
    let cancelled = false;
    callbacks.current.preview().then(
      preview => !cancelled && setPlan({ status: 'ready', preview }),
      error => !cancelled && setPlan({ status: 'error', error }),
    );
    return () => {
      cancelled = true;
    };
  }, []);

  const confirm = async () => {
    setRun({ status: 'starting' });
    try {
      const operation = await callbacks.current.start();
      setRun({ status: 'started', operation });
      callbacks.current.onStarted?.(operation);
    } catch (error) {
      const conflict = operationConflict(error);
      setRun(
        conflict
          ? { status: 'conflict', conflict }
          : { status: 'error', error: error as Error },
      );
    }
  };

  const started = run.status === 'started' ? run : undefined;
  const canConfirm =
    plan.status === 'ready' && run.status === 'idle' && !disabledReason;
  const reasonId = `${title.replace(/\W+/g, '-')}-confirm-reason`;

  return (
    <>
      <DialogTitle>{title}</DialogTitle>
      <DialogContent dividers>
        {description && !started && (
          <Typography variant="body2" component="div" sx={{ mb: 2 }}>
            {description}
          </Typography>
        )}
        {!started && plan.status === 'loading' && (
          <Box aria-label="Planning">
            <Typography variant="body2" color="text.secondary">
              Planning (dry run)…
            </Typography>
            <Progress />
          </Box>
        )}
        {!started && plan.status === 'error' && (
          <ResponseErrorPanel title="The plan failed" error={plan.error} />
        )}
        {!started && plan.status === 'ready' && (
          <PlanPreview diff={plan.preview.diff} />
        )}
        {run.status === 'conflict' && (
          <Alert severity="warning" sx={{ mt: 2 }} role="alert">
            <Typography variant="body2">{run.conflict.message}</Typography>
            {run.conflict.operationId && (
              <Typography variant="body2" component="div" sx={{ mt: 1 }}>
                Operation in progress:{' '}
                <code data-testid="conflict-operation-id">
                  {run.conflict.operationId}
                </code>{' '}
                {!run.following && (
                  <Button
                    size="small"
                    onClick={() => setRun({ ...run, following: true })}
                  >
                    Show its log
                  </Button>
                )}
              </Typography>
            )}
          </Alert>
        )}
        {run.status === 'conflict' &&
          run.following &&
          run.conflict.operationId && (
            <Box sx={{ mt: 2 }}>
              <OperationLog
                operationId={run.conflict.operationId}
                retryDelayMs={retryDelayMs}
              />
            </Box>
          )}
        {run.status === 'error' && (
          <Box sx={{ mt: 2 }}>
            {/* The backend's reason (a 403 names the permission) in the title: the panel's
                body, collapsed, holds the rest. */}
            <ResponseErrorPanel
              title={`The operation was not started: ${errorMessage(
                run.error,
              )}`}
              error={run.error}
            />
          </Box>
        )}
        {started && (
          <>
            <Typography variant="subtitle1" component="h3" gutterBottom>
              {started.operation.summary}
            </Typography>
            <OperationLog
              operationId={started.operation.id}
              steps={started.operation.plan?.steps.length}
              retryDelayMs={retryDelayMs}
              onFinished={final => {
                setRun({ ...started, final });
                callbacks.current.onFinished?.(started.operation, final);
              }}
            />
          </>
        )}
      </DialogContent>
      <DialogActions>
        {disabledReason && !started && (
          <Typography
            id={reasonId}
            variant="body2"
            color="text.secondary"
            sx={{ mr: 'auto', px: 1 }}
          >
            {disabledReason}
          </Typography>
        )}
        {started ? (
          <Button
            onClick={onClose}
            variant={started.final ? 'contained' : 'text'}
          >
            {started.final ? 'Close' : 'Close (it keeps running)'}
          </Button>
        ) : (
          <>
            <Button onClick={onClose}>Cancel</Button>
            <Button
              variant="contained"
              color="primary"
              onClick={confirm}
              disabled={!canConfirm}
              aria-describedby={disabledReason ? reasonId : undefined}
            >
              {run.status === 'starting' ? 'Starting…' : confirmLabel}
            </Button>
          </>
        )}
      </DialogActions>
    </>
  );
}

/**
 * The confirm-and-run dialog of a lifecycle operation: shows the dry run's plan
 * ({@link PlanPreview}), asks for confirmation, starts the operation and streams its step log
 * ({@link OperationLog}) to the final state. A 409 shows the backend's message and the id of the
 * operation holding the cluster and mesh (with its log on request); any other refusal (a 403
 * naming the permission) shows the backend's message in the error panel's title. Reusable for
 * onboard, offboard, install, upgrade, rollback, resume and revert: pass `preview` and `start`.
 */
export function OperationDialog(props: OperationDialogProps) {
  return (
    <Dialog
      open={props.open}
      onClose={props.onClose}
      fullWidth
      maxWidth="md"
      scroll="paper"
    >
      {props.open && <OperationDialogBody {...props} />}
    </Dialog>
  );
}
