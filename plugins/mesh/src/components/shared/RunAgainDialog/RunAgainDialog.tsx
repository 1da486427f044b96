import type { ReactNode } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import type {
  Operation,
  OperationFinalStateEvent,
} from '@meshstage/plugin-mesh-common';
import { meshApiRef } from '../../../api';
import { RUN_AGAIN_LABELS, type RunAgainVerb } from '../../../lib/runAgain';
import { OperationDialog } from '../OperationDialog';

/** Props of {@link RunAgainDialog}. */
export interface RunAgainDialogProps {
  verb: RunAgainVerb;
  operationId: string;
  /** Default `Resume operation <id>` / `Revert operation <id>`. */
  title?: string;
  description?: ReactNode;
  /** When set, confirming is disabled and this says why (e.g. a missing permission). */
  disabledReason?: string;
  retryDelayMs?: number;
  onClose: () => void;
  /** The backend accepted the resume or revert (202): the operation's new run. */
  onStarted?: (operation: Operation) => void;
  onFinished?: (operation: Operation, final: OperationFinalStateEvent) => void;
}

/**
 * Resume or revert of an interrupted, failed (or revert-failed) operation through
 * {@link OperationDialog}: the dry run's plan (`dryRun: true`, which needs only read access),
 * confirmation, then the new run's log. A refusal (403, 409) shows the backend's message.
 */
export function RunAgainDialog(props: RunAgainDialogProps) {
  const { verb, operationId } = props;
  const meshApi = useApi(meshApiRef);
  const resume = verb === 'resume';
  return (
    <OperationDialog
      open
      title={
        props.title ?? `${RUN_AGAIN_LABELS[verb]} operation ${operationId}`
      }
      description={props.description}
      preview={() =>
        resume
          ? meshApi.previewResumeOperation(operationId)
          : meshApi.previewRevertOperation(operationId)
      }
      start={() =>
        resume
          ? meshApi.resumeOperation(operationId)
          : meshApi.revertOperation(operationId)
      }
      disabledReason={props.disabledReason}
      retryDelayMs={props.retryDelayMs}
      onClose={props.onClose}
      onStarted={props.onStarted}
      onFinished={props.onFinished}
    />
  );
}
